import Foundation
import Testing
@testable import ShegongStore
@testable import ShegongDomain
import ShegongTestSupport

/// A replay reads a visit's facts straight from its line; every other reader builds the body's
/// tree. The two must agree on every body, the plain ones this program writes and the odd ones an
/// import or a hand-edited line may hold (which the fast read hands back to the tree).
@Suite struct VisitFactsTests {
    static let plain = #"{"person":"P-1","date":"2026-11-20","mode":"phone","worker":"sg002","health":"行动不便,需\"拐杖\"","case":"C-1","followup":"2026-11-30","referral":"社区医院","needs":["助餐","送医"],"note":"独居"}"#
    /// Bodies the fast read takes, and what it must give for them.
    static let taken = [plain, "{}", #"{ "person" : "P-2" , "mode":"carrier-pigeon" }"#, #"{"date":"2026-02-30","followup":"2024-02-29"}"#,
                        #"{"referral":"","extra":{"person":"P-9","list":[1,2.5,null,true]},"person":"P-1"}"#,
                        #"{"date":"2026-13-01","mode":"home","worker":""}"#, #"{"date":"1899-12-31"}"#, #"{"date":"2026-1-01"}"#]
    /// Bodies it hands back: an escape where it reads, a key read twice, a value that is not a string.
    static let handedBack = [#"{"per\u0073on":"P-2"}"#, #"{"person":"P\u002d2"}"#, #"{"person":"P-1","person":"P-2"}"#,
                             #"{"person":1}"#, #"{"mode":null}"#, #"{"referral":true}"#, #"{"date":["2026-11-20"]}"#,
                             #"{"person":"P-1""#, #"["person"]"#]

    static func facts(_ body: String) -> VisitFacts? { reading(body, VisitFacts.read) }

    /// What `read` gives for a body's text.
    static func reading<Facts>(_ body: String, _ read: (inout JSONParser) -> Facts?) -> Facts? {
        let bytes = Array(body.utf8)
        return bytes.withUnsafeBufferPointer { b in
            var p = JSONParser(b)
            return read(&p)
        }
    }

    @Test func everyKeyReadByItsWordIsThatKey() {
        for slot in VisitFacts.Slot.allCases { #expect(slot.rawValue == JSONParser.word(VisitFacts.Slot.keys[slot]!), "\(slot)") }
        Self.expectSlots(VisitFacts.Slot.keys, notRead: ["", "persons", "Date", "mod", "followup ", "referra"])
    }

    @Test func theFastReadGivesWhatTheTreeGives() throws {
        for body in Self.taken {
            let read = try #require(Self.facts(body), "\(body)")
            #expect(read == VisitFacts(body: try JSON.parse(body)), "\(body)")
        }
        let plain = try #require(Self.facts(Self.plain))
        #expect(plain.person == "P-1" && plain.date == Day(iso: "2026-11-20") && plain.mode == .phone && plain.worker == "sg002"
                && plain.caseID == "C-1" && plain.followUp == Day(iso: "2026-11-30") && plain.referral)
        #expect(Self.facts(#"{"date":"2026-02-30","followup":"2024-02-29"}"#)?.date == nil, "no 30 February")
        #expect(Self.facts(#"{"date":"2026-02-30","followup":"2024-02-29"}"#)?.followUp == Day(iso: "2024-02-29"), "a leap day")
        for body in Self.handedBack { #expect(Self.facts(body) == nil, "\(body)") }
    }

    /// A replay refuses exactly the lines every other reader refuses, with the same reason: a bad
    /// escape in a field it reads, skips or does not know, or a version too large for an integer
    /// (which crashed both before).
    @Test func aReplayRefusesWhatAFullReadRefuses() {
        let at = #""at":"2026-11-21T02:00:00Z","actor":"sg001","subj":"V-1""#
        let bad = [#"{"person":"P-1","note":"bad \x escape"}"#, #"{"person":"P-1","undoes":"\ud800"}"#,
                   #"{"person":"P-1","extra":{"k\q":1}}"#, #"{"person":"P-1","extra":["\u12"]}"#, #"{"person":"P-\x1"}"#]
        var lines = bad.map { #""id":"0199c176-bc56-78fd-9030-000000000001","type":"visit.logged","v":2,\#(at),"body":\#($0)"# }
        lines.append(#""id":"0199c176-bc56-78fd-9030-000000000001","type":"visit.logged","v":1e19,\#(at),"body":{}"#)
        lines.append(#""id":"0199c176-bc56-78fd-9030-000000000001","type":"case.service","v":1,\#(at),"body":{"note":"\q"}"#)
        for members in lines {
            let line = Array(Self.line(members, number: 1, prev: .genesis).dropLast())
            let results = [true, false].map { projection in
                line.withUnsafeBytes { raw in Result { () throws(RecordDamage) in try RecordCodec.decode(raw, forProjection: projection) } }
            }
            switch (results[0], results[1]) {
            case (.failure(let a), .failure(let b)): #expect(a == b && a != .checksum, "\(members)")
            default: Issue.record("accepted by one reader or both: \(members)")
            }
        }
    }

    /// Appends, to the log at `path`, one line for each of `members` (the members between the
    /// number and `prev`), each numbered and chained after the line before it.
    static func appendLines(_ members: [String], to path: String) {
        var bytes = readBytes(path)
        var count = bytes.split(separator: 0x0A).count
        for m in members {
            let head = Array(bytes.split(separator: 0x0A).last!).withUnsafeBytes { ChainHash.of($0) }
            count += 1
            bytes += line(m, number: count, prev: head)
        }
        writeBytes(path, bytes)
    }

    /// Appends lines of `members` (each a record's members after its id, and whether a replay
    /// should read its body as facts), with ids made from `idStem` (the first 23 characters of an
    /// id); returns the state a full read gives, the replay's, and which of them the replay read
    /// as facts, in order.
    static func replayAgainstFullRead(_ members: [(text: String, fast: Bool)], idStem: String,
                                      at path: String) throws -> (full: State, replayed: State, fastRead: [Bool]) {
        appendLines(members.enumerated().map { k, m in #""id":"\#(idStem)-\#(String(format: "%012x", k))",\#(m.text)"# }, to: path)
        let full = try fullRead(path)
        let replayed = try Store.open(path: path, useCheckpoint: false).state
        var fastRead: [Bool] = []
        _ = try LogFile.open(path: path, wantWrite: false).scan(from: .start, forProjection: true) { record, _ in
            if record.event.id.description.hasPrefix(idStem) { fastRead.append(record.facts != nil) }
        }
        return (full, replayed, fastRead)
    }

    /// Each slot of a facts reader is found by its own key and no other, and has a bit of its own;
    /// none of `others` (keys that are nearly one) is read.
    static func expectSlots<Slot: PlainFactsSlot & CaseIterable & Hashable>(_ keys: [Slot: String], notRead others: [String]) {
        func slot(_ text: String) -> Slot? { var key = text; return key.withUTF8 { Slot($0, word: JSONParser.word($0)) } }
        for s in Slot.allCases { #expect(keys[s].flatMap(slot) == s, "\(s)") }
        #expect(Slot.allCases.count == keys.count)
        #expect(Set(Slot.allCases.map(\.bit)).count == Slot.allCases.count, "one bit each")
        for other in others { #expect(slot(other) == nil, "\(other)") }
    }

    /// A station's store in `dir` with `events` demo events (people, cases, volunteers, visits).
    static func demoStore(in dir: TempDir, seed: UInt64, events: Int) throws -> Store {
        let store = try Store.create(path: dir.file("s.log"), station: "弹子石街道社工站", context: testContext(actor: "root"))
        var generator = DemoGenerator(seed: seed, totalEvents: events, endingNear: Day(iso: "2026-11-21")!, state: store.state)
        try store.append { _ in generator.next(events) }
        return store
    }

    /// The state every reader but a replay gives: each record's whole tree applied.
    static func fullRead(_ path: String) throws -> State {
        var full = State()
        let (_, end) = try LogFile.open(path: path, wantWrite: false).scan(from: .start, forProjection: false) { record, offset in
            full.apply(record.event, offset: offset)
        }
        #expect(end == .clean)
        return full
    }

    /// A line with a good CRC whose members between the number and `prev` are `members`.
    static func line(_ members: String, number: Int, prev: ChainHash) -> [UInt8] {
        RecordCodec.sealed(Array("{\"n\":\(number),".utf8) + Array(members.utf8) + Array(",\"prev\":\"\(prev.hex)\"".utf8))
    }

    /// A store with people and cases, then visits of every shape written around the program, and
    /// records whose members after the body change what the body means.
    @Test func aReplayOfOddVisitsGivesTheStateAFullReadGives() throws {
        let dir = TempDir()
        let store = try Self.demoStore(in: dir, seed: 5, events: 600)
        let caseID = try #require(store.state.cases.first?.id)
        let person = store.state.people[Int(store.state.cases[0].person)].id
        var bodies = Self.taken + Self.handedBack.filter { (try? JSON.parse($0)) != nil }
        bodies.append(#"{"person":"\#(person)","case":"\#(caseID)","date":"2026-11-19","referral":"x"}"#)
        var members: [String] = []
        let at = #""at":"2026-11-21T02:00:00Z","actor":"sg001""#
        for (k, body) in bodies.enumerated() {
            let id = String(format: "0199c176-bc56-78fd-9030-%012x", k)
            members.append(#""id":"\#(id)","type":"visit.logged","v":2,\#(at),"subj":"V-x\#(k)","body":\#(body)"#)
        }
        let later = [#""type":"case.service","v":2"#, #""v":1"#, #""body":{"person":"P-3","date":"2026-11-18"}"#,
                     #""type":"visit.amended""#, #""from":{"origin":"白沙沱街道社工站","n":5,"prev":"\#(String(repeating: "0", count: 64))"}"#]
        for (k, tail) in later.enumerated() {
            let id = String(format: "0199c176-bc56-78fd-9031-%012x", k)
            members.append(#""id":"\#(id)","type":"visit.logged","v":2,\#(at),"subj":"V-y\#(k)","body":{"person":"\#(person)","mode":"第一次"},\#(tail)"#)
        }
        // A type named again after the body: the body is read for the type the record ends with,
        // not with the keys the first one skips (a case service skips `followup`, a visit `note`).
        members.append(#""id":"0199c176-bc56-78fd-9032-000000000000","type":"case.service","v":2,\#(at),"subj":"V-z0","body":{"person":"\#(person)","followup":"2026-12-01"},"type":"visit.logged""#)
        let volunteer = try #require(store.state.volunteers.first?.id)
        members.append(#""id":"0199c176-bc56-78fd-9032-000000000001","type":"visit.logged","v":1,\#(at),"subj":"\#(volunteer)","body":{"hours":1.5,"note":"换季衣物"},"type":"timebank.deposit""#)
        Self.appendLines(members, to: store.path)

        let full = try Self.fullRead(store.path)
        let replayed = try Store.open(path: store.path, useCheckpoint: false).state
        #expect(replayed.visits == full.visits)
        #expect(replayed.people == full.people)
        #expect(replayed.cases == full.cases)
        #expect(replayed.eventCount == full.eventCount && replayed.unknown == full.unknown)
        let whole = replayed == full  // compared as one Bool: a failure names the parts above, not a megabyte of state
        #expect(whole, "the rest of the state")
        #expect(full.visits.contains { $0.id == "V-x\(bodies.count - 1)" && $0.caseIndex == 0 && $0.referral }, "the plain visit counted")

        // The fast read was taken where it may be, and only there.
        var read: [String: Bool] = [:]
        _ = try LogFile.open(path: store.path, wantWrite: false).scan(from: .start, forProjection: true) { record, _ in
            if record.event.subject.hasPrefix("V-x") || record.event.subject.hasPrefix("V-y") { read[record.event.subject] = record.facts != nil }
        }
        for k in Self.taken.indices { #expect(read["V-x\(k)"] == true, "\(Self.taken[k])") }
        #expect(read["V-x\(Self.taken.count)"] == false, "an escaped key")
        for k in later.indices { #expect(read["V-y\(k)"] == false, "after the body: \(later[k])") }
        #expect(full.visits.contains { $0.id == "V-z0" && $0.followUp == Day(iso: "2026-12-01") })
        #expect(full.timeBank.last?.note == "换季衣物")
    }
}
