import Foundation
import Testing
@testable import ShegongStore
@testable import ShegongDomain
import ShegongTestSupport

/// A replay reads a line of the shape this program writes from its fixed places, and leaves every
/// other shape to the reader of members. Both must give the same record for every line.
@Suite struct WrittenRecordTests {
    static func same(_ a: Record, _ b: Record) -> Bool {
        // Both readers find the same type, and a type found is the record's own.
        let typeFound = a.known == b.known && (a.known.map { $0.type.rawValue == a.event.type } ?? true)
        return a.number == b.number && a.prev == b.prev && a.facts == b.facts && a.event == b.event && typeFound
    }

    /// What the reader of members gives for the line, as a replay asks for it.
    static func byMembers(_ line: [UInt8]) throws -> Record {
        try line.withUnsafeBytes { raw in try RecordCodec.readMembers(raw, forProjection: true, readFacts: true).record }
    }

    static func written(_ line: [UInt8], interner: TextInterner = TextInterner()) -> Record? {
        line.withUnsafeBytes { RecordCodec.readWritten($0, interner: interner) }
    }

    @Test func everyLineThisProgramWritesIsReadFromItsFixedPlaces() throws {
        let dir = TempDir()
        let store = try Store.create(path: dir.file("w.log"), station: "弹子石街道社工站", context: testContext(actor: "root"))
        var generator = DemoGenerator(seed: 9, totalEvents: 3000, endingNear: Day(iso: "2026-11-21")!, state: store.state)
        try store.append { _ in generator.next(3000) }
        var types = Set<String>()
        // One interner for the whole log, as a replay's decoder has: the texts it gives back are
        // those each line names.
        let interner = TextInterner()
        for line in readBytes(store.path).split(separator: 0x0A).map(Array.init) {
            let fast = try #require(Self.written(line, interner: interner), "\(String(decoding: line, as: UTF8.self))")
            #expect(Self.same(fast, try Self.byMembers(line)), "\(String(decoding: line, as: UTF8.self))")
            types.insert(fast.event.type)
        }
        #expect(types.isSuperset(of: ["visit.logged", "person.registered", "volunteer.hours", "case.opened", "case.service"]), "\(types)")
    }

    /// Each way a valid line can differ from what `encode` writes: the line is left to the reader
    /// of members, which reads it (or refuses it) as it always did.
    @Test func aLineOfAnyOtherShapeIsLeftToTheReaderOfMembers() throws {
        let id = "0199c176-bc56-78fd-9030-000000000001"
        let written = #""id":"\#(id)","type":"visit.logged","v":2,"at":"2026-11-21T02:00:00Z","actor":"sg001","subj":"V-1","base":1,"body":{"person":"P-1","date":"2026-11-20"}"#
        let plain = VisitFactsTests.line(written, number: 3, prev: .genesis).dropLast()
        let taken = try #require(Self.written(Array(plain)))
        #expect(taken.event.base == 1 && taken.event.subject == "V-1" && taken.facts == .visit(VisitFacts(body: .object([JSONField("person", .string("P-1")), JSONField("date", .string("2026-11-20"))]))) && taken.number == 3)

        let others = [
            written.replacingOccurrences(of: #""type":"visit.logged","v":2"#, with: #""v":2,"type":"visit.logged""#),
            written.replacingOccurrences(of: #","v":2,"#, with: #", "v":2,"#),
            written.replacingOccurrences(of: #""actor":"sg001""#, with: #""actor":"sg\u003001""#),
            written.replacingOccurrences(of: id, with: id.uppercased()),
            written.replacingOccurrences(of: "visit.logged", with: "visit.sketched"),
            written.replacingOccurrences(of: #""subj":"V-1""#, with: #""subj":"V-1","note":"x""#),
            written + #","from":{"origin":"白沙沱街道社工站","n":5,"prev":"\#(String(repeating: "0", count: 64))"}"#,
            written + #","type":"visit.amended""#,
            written.replacingOccurrences(of: #""body":{"person":"P-1""#, with: #""body":{"person":"P\u002d1""#),
        ]
        for members in others {
            let line = Array(VisitFactsTests.line(members, number: 3, prev: .genesis).dropLast())
            #expect(Self.written(line) == nil, "\(members)")
            let replayed = line.withUnsafeBytes { raw in Result { () throws(RecordDamage) in try RecordCodec.decode(raw, forProjection: true) } }
            let whole = line.withUnsafeBytes { raw in Result { () throws(RecordDamage) in try RecordCodec.decode(raw, forProjection: false) } }
            switch (replayed, whole) {
            case (.success(let r), .success(let w)):
                #expect(r.number == w.number && r.prev == w.prev && r.event.id == w.event.id && r.event.type == w.event.type
                        && r.event.version == w.event.version && r.event.actor == w.event.actor && r.event.subject == w.event.subject
                        && r.event.base == w.event.base && r.event.origin == w.event.origin, "\(members)")
            case (.failure(let a), .failure(let b)): #expect(a == b, "\(members)")
            default: Issue.record("read by one reader only: \(members)")
            }
        }
        // Numbers are read by the reader of members' own `int`: a leading zero, a fraction that is
        // whole and a sign give the same number either way.
        for (from, to, version, base) in [(#""v":2"#, #""v":02"#, 2, 1), (#""v":2"#, #""v":2.0"#, 2, 1), (#""base":1"#, #""base":-1"#, 2, -1)] {
            let members = written.replacingOccurrences(of: from, with: to)
            let bytes = Array(VisitFactsTests.line(members, number: 3, prev: .genesis).dropLast())
            let read = try #require(Self.written(bytes), "\(members)")
            #expect(Self.same(read, try Self.byMembers(bytes)) && read.event.version == version && read.event.base == base, "\(members)")
        }
    }

    /// Lines the reader of members refuses, or reads otherwise, near the fixed places: each is
    /// left to it, and a replay gives its answer.
    @Test func whatTheReaderOfMembersRefusesIsNotReadFromFixedPlaces() throws {
        let id = "0199c176-bc56-78fd-9030-000000000001"
        let members = #""id":"\#(id)","type":"case.service","v":1,"at":"2026-11-21T02:00:00Z","actor":"sg001","subj":"C-1","body":{"date":"2026-11-20"}"#
        let zeros = String(repeating: "0", count: 64), ones = String(repeating: "1", count: 64)
        func line(_ n: String, _ members: String, _ tail: String) -> [UInt8] {
            Array(RecordCodec.sealed(Array("{\"n\":\(n),".utf8) + Array(members.utf8) + Array(tail.utf8)).dropLast())
        }
        let lines = [
            line("0", members, #","prev":"\#(zeros)""#),
            line("12345678901234567890", members, #","prev":"\#(zeros)""#),
            line("3", members.replacingOccurrences(of: #""v":1"#, with: #""v":0"#), #","prev":"\#(zeros)""#),
            line("3", members.replacingOccurrences(of: #""v":1"#, with: #""v":123456789012345678901"#), #","prev":"\#(zeros)""#),
            // Two hashes: the reader of members keeps the last, so the first must not be taken.
            line("3", members, #","prev":"\#(ones)","prev":"\#(zeros)""#),
            line("3", members, #","prev":"\#(zeros)x""#),
            line("3", members, #","prev":"\#(zeros)","note":1"#),
        ]
        for bytes in lines {
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(Self.written(bytes) == nil, "\(text)")
            let replayed = bytes.withUnsafeBytes { raw in Result { () throws(RecordDamage) in try RecordCodec.decode(raw, forProjection: true) } }
            switch (replayed, Result { try Self.byMembers(bytes) }) {
            case (.success(let r), .success(let m)): #expect(Self.same(r, m), "\(text)")
            case (.failure, .failure): break
            default: Issue.record("read by one reader only: \(text)")
            }
        }
        let twoHashes = try Self.byMembers(lines[4])
        #expect(twoHashes.prev == .genesis, "the last hash named is the one kept")
    }
}
