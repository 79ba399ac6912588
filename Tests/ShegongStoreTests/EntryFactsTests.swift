import Foundation
import Testing
@testable import ShegongStore
@testable import ShegongDomain
import ShegongTestSupport

/// A replay reads volunteer hours, time-bank entries and case services straight from their lines
/// (`EntryFacts.read`); every other reader builds the body's tree. As for visits, the two must
/// agree on every body, and the fast read hands back what it cannot read the same.
@Suite struct EntryFactsTests {
    static let plain = #"{"volunteer":"VOL-8","date":"2025-10-08","hours":1.5,"activity":"重阳节敬老活动","content":"陪伴高龄老人聊天、\"打扫\"","rating":5}"#
    /// Bodies the fast read takes: numbers of every shape for `hours`, keys it does not read, odd
    /// dates, and keys that are nearly `volunteer`.
    static let taken = [plain, "{}", #"{ "hours" : 2 , "note" : "换季衣物" }"#, #"{"hours":-0.25,"date":"2026-02-30"}"#,
                        #"{"hours":1e1}"#, #"{"hours":0.1000000000000001}"#, #"{"hours":12345678901234.5}"#, #"{"hours":"1.5"}"#,
                        #"{"hours":null,"served":[1,{"x":"\u00e9"}]}"#, #"{"hours":[1]}"#, #"{"hours":02.50}"#,
                        #"{"voluntee":"VOL-1","volunteers":"VOL-2","volunteex":"VOL-3"}"#, #"{"date":"2026-1-01","mode":"home","minutes":81}"#]
    /// Bodies it hands back: an escape where it reads, a key read twice, a text value that is not a string.
    static let handedBack = [#"{"volunt\u0065er":"VOL-1"}"#, #"{"volunteer":"VOL\u002d1"}"#, #"{"hours":1,"hours":2}"#,
                             #"{"note":"a","note":"b"}"#, #"{"volunteer":8}"#, #"{"date":null}"#, #"{"activity":["x"]}"#,
                             #"{"hours":1.5"#, #"["hours"]"#]

    static func facts(_ body: String) -> EntryFacts? { VisitFactsTests.reading(body, EntryFacts.read) }

    @Test func everyKeyReadIsThatKeyAndNoOther() {
        VisitFactsTests.expectSlots(EntryFacts.Slot.keys, notRead: ["", "voluntee", "volunteex", "xolunteer", "volunteers", "Hours",
                                                                     "note ", "dat"])
    }

    @Test func theFourTypesHaveFactsAtTheirCurrentVersionOnly() {
        for type in [EventType.volunteerHours, .timeBankDeposit, .timeBankWithdraw, .caseService] {
            #expect(BodyFacts.kind(of: type, version: type.info.version) == .entry, "\(type)")
            #expect(BodyFacts.kind(of: type, version: type.info.version + 1) == nil, "\(type)")
        }
        #expect(BodyFacts.kind(of: .hoursCorrected, version: 1) == nil)
        #expect(BodyFacts.kind(of: nil, version: 1) == nil)
    }

    @Test func theFastReadGivesWhatTheTreeGives() throws {
        for body in Self.taken {
            let read = try #require(Self.facts(body), "\(body)")
            #expect(read == EntryFacts(body: try JSON.parse(body)), "\(body)")
        }
        let plain = try #require(Self.facts(Self.plain))
        #expect(plain.volunteer == "VOL-8" && plain.date == Day(iso: "2025-10-08") && plain.hours == 1.5
                && plain.activity == "重阳节敬老活动" && plain.note == nil)
        #expect(Self.facts(#"{"hours":"1.5"}"#)?.hours == nil, "a string is no number, as for the tree")
        for body in Self.handedBack { #expect(Self.facts(body) == nil, "\(body)") }
    }

    /// A station's log, then hours, time-bank entries and case services of every shape written
    /// around the program: a replay gives the state a full read gives, and reads the fast way
    /// exactly the plain ones of the current version with nothing after the body.
    @Test func aReplayOfOddEntriesGivesTheStateAFullReadGives() throws {
        let dir = TempDir()
        let store = try VisitFactsTests.demoStore(in: dir, seed: 7, events: 800)
        let volunteer = try #require(store.state.volunteers.first?.id)
        let caseID = try #require(store.state.cases.first?.id)
        let at = #""at":"2026-11-21T02:00:00Z","actor":"sg001""#
        var members: [(subject: String, text: String, fast: Bool)] = []
        for (k, body) in (Self.taken + Self.handedBack.filter { (try? JSON.parse($0)) != nil }).enumerated() {
            let fast = k < Self.taken.count
            // Every hours body names a volunteer, so that each is counted and its odd values compared.
            var hoursBody = body.replacingOccurrences(of: "VOL-8", with: volunteer)
            if hoursBody.hasPrefix("{"), !hoursBody.contains(#""volunteer""#) {
                hoursBody = hoursBody == "{}" ? #"{"volunteer":"\#(volunteer)"}"# : #"{"volunteer":"\#(volunteer)","# + hoursBody.dropFirst()
            }
            let bodyWithVolunteer = hoursBody
            members.append(("H-x\(k)", #""type":"volunteer.hours","v":1,\#(at),"subj":"H-x\#(k)","body":\#(bodyWithVolunteer)"#, fast))
            members.append((volunteer, #""type":"timebank.deposit","v":1,\#(at),"subj":"\#(volunteer)","body":\#(body)"#, fast))
            members.append((caseID, #""type":"case.service","v":1,\#(at),"subj":"\#(caseID)","body":\#(body)"#, fast))
        }
        // Members after the body that change what it means, an old or a future version, a carried record.
        let tails = [#","type":"visit.logged""#, #","v":2"#, #","body":{"volunteer":"\#(volunteer)","hours":9}"#,
                     #","from":{"origin":"白沙沱街道社工站","n":5,"prev":"\#(String(repeating: "0", count: 64))"}"#]
        for (k, tail) in tails.enumerated() {
            members.append(("H-y\(k)", #""type":"volunteer.hours","v":1,\#(at),"subj":"H-y\#(k)","body":{"volunteer":"\#(volunteer)","hours":3,"date":"2026-11-19"}\#(tail)"#, false))
        }
        members.append((volunteer, #""type":"timebank.withdraw","v":2,\#(at),"subj":"\#(volunteer)","body":{"hours":4}"#, false))

        let (full, replayed, fastRead) = try VisitFactsTests.replayAgainstFullRead(members.map { ($0.text, $0.fast) },
                                                                                  idStem: "0199c176-bc56-78fd-9040", at: store.path)
        #expect(replayed.hours == full.hours)
        #expect(replayed.timeBank == full.timeBank)
        #expect(replayed.cases == full.cases)
        #expect(replayed.volunteers == full.volunteers)
        let whole = replayed == full
        #expect(whole, "the rest of the state")
        #expect(full.hours.contains { $0.id == "H-x0" && $0.hours == 1.5 && $0.activity == "重阳节敬老活动" }, "the plain hours counted")
        #expect(full.hours.contains { $0.id == "H-y2" && $0.hours == 9 }, "the second body is the one read")

        #expect(fastRead == members.map(\.fast))
    }
}
