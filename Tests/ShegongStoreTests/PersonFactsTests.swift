import Foundation
import Testing
@testable import ShegongStore
@testable import ShegongDomain
import ShegongTestSupport

/// A replay reads a registration's profile straight from its line (`PersonFacts.read`); every
/// other reader builds the body's tree. As for visits, the two must agree on every body, and the
/// fast read hands back what it cannot read the same.
@Suite struct PersonFactsTests {
    static let plain = #"{"name":"邹志建","sex":"female","birth":"1939-03-05","idno":"50010819390305528X","phone":"18672101819","address":"重庆市南岸区弹子石街道弹子石社区26栋6单元1704","community":"S-3","household":"","categories":["肢体残疾","独居老人"],"tier":"priority","worker":"sg002","date":"2025-10-09","note":"女儿在外地\"工作\""}"#
    /// Bodies the fast read takes: unknown sexes, tiers and days (which the tree reads as it
    /// reads them), empty lists, keys it does not read, and keys that are nearly the long ones.
    static let taken = [plain, "{}", #"{ "name" : "李四" , "sex" : "unknown" , "tier" : "urgent" }"#, #"{"birth":"1950-02-30","date":"2026-1-01"}"#,
                        #"{"categories":[],"household":"","address":"南岸区"}"#, #"{"categories":[ "低保" , "失独" ]}"#,
                        #"{"communit":"S-9","communityx":"S-8","categorie":["x"],"categoriess":["y"],"househol":"z","community":"S-2"}"#,
                        #"{"extra":{"name":"王五","list":[1,null]},"name":"赵六","sex":"male"}"#]
    /// Bodies it hands back: an escape where it reads, a key read twice, a value of another kind.
    static let handedBack = [#"{"na\u006de":"张三"}"#, #"{"name":"张\u4e09"}"#, #"{"name":"a","name":"b"}"#, #"{"sex":null}"#,
                             #"{"categories":["a",1]}"#, #"{"categories":"低保"}"#, #"{"categories":["\u4f4e"]}"#, #"{"tier":2}"#,
                             #"{"categories":["a""#, #"{"name":"a""#, #"["name"]"#]

    static func facts(_ body: String) -> PersonFacts? { VisitFactsTests.reading(body, PersonFacts.read) }

    @Test func everyKeyReadIsThatKeyAndNoOther() {
        VisitFactsTests.expectSlots(PersonFacts.Slot.keys, notRead: ["", "communit", "communitx", "communityx", "househol", "householx",
                                                                      "categori", "categorie", "categoriex", "categoriess", "Name", "idno ",
                                                                      "dat", "tiers"])
    }

    @Test func registrationsHaveFactsAtTheirCurrentVersionOnly() {
        #expect(BodyFacts.kind(of: .personRegistered, version: EventType.personRegistered.info.version) == .person)
        #expect(BodyFacts.kind(of: .personRegistered, version: EventType.personRegistered.info.version + 1) == nil)
        #expect(BodyFacts.kind(of: .personUpdated, version: EventType.personUpdated.info.version) == nil)
    }

    @Test func theFastReadGivesWhatTheTreeGives() throws {
        for body in Self.taken {
            let read = try #require(Self.facts(body), "\(body)")
            #expect(read == PersonFacts(body: try JSON.parse(body)), "\(body)")
        }
        let plain = try #require(Self.facts(Self.plain))
        #expect(plain.name == "邹志建" && plain.sex == .some(.female) && plain.birth == .some(Day(iso: "1939-03-05"))
                && plain.categories == ["肢体残疾", "独居老人"] && plain.tier == .priority && plain.community == "S-3"
                && plain.household == "" && plain.date == Day(iso: "2025-10-09"))
        let odd = try #require(Self.facts(#"{"sex":"unknown","birth":"1950-02-30","tier":"urgent"}"#))
        #expect(odd.sex == .some(nil) && odd.birth == .some(nil) && odd.tier == nil, "named but not valid: cleared, cleared, kept")
        for body in Self.handedBack { #expect(Self.facts(body) == nil, "\(body)") }
    }

    /// A station's log, then registrations of every shape written around the program: a replay
    /// gives the state a full read gives, and reads the fast way exactly the plain ones of the
    /// current version with nothing after the body.
    @Test func aReplayOfOddRegistrationsGivesTheStateAFullReadGives() throws {
        let dir = TempDir()
        let store = try VisitFactsTests.demoStore(in: dir, seed: 7, events: 800)
        let at = #""at":"2026-11-21T02:00:00Z","actor":"sg001""#
        let next = store.state.people.count + 1
        var members: [(text: String, fast: Bool)] = []
        for (k, body) in (Self.taken + Self.handedBack.filter { (try? JSON.parse($0)) != nil }).enumerated() {
            members.append((#""type":"person.registered","v":1,\#(at),"subj":"P-\#(next + k)","body":\#(body)"#, k < Self.taken.count))
        }
        // Members after the body that change what it means, a future version, a carried record.
        let tails = [#","type":"visit.logged""#, #","body":{"name":"第二个"}"#,
                     #","from":{"origin":"白沙沱街道社工站","n":5,"prev":"\#(String(repeating: "0", count: 64))"}"#]
        for (k, tail) in tails.enumerated() {
            members.append((#""type":"person.registered","v":1,\#(at),"subj":"P-x\#(k)","body":{"name":"第一个","tier":"key"}\#(tail)"#, false))
        }
        members.append((#""type":"person.registered","v":2,\#(at),"subj":"P-y","body":{"name":"未来"}"#, false))
        let (full, replayed, fastRead) = try VisitFactsTests.replayAgainstFullRead(members, idStem: "0199c176-bc56-78fd-9041",
                                                                                  at: store.path)
        #expect(replayed.people == full.people)
        let whole = replayed == full
        #expect(whole, "the rest of the state")
        let first = try #require(full.person("P-\(next)"))
        #expect(first.name == "邹志建" && first.household == first.address && first.registeredOn == Day(iso: "2025-10-09"),
                "the plain registration read whole, its empty household filled from the address")
        #expect(full.person("P-x1")?.name == "第二个", "the second body is the one read")

        #expect(fastRead == members.map(\.fast))
    }
}
