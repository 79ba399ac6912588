import Testing
@testable import ShegongDomain

/// A replay's decoder hands out the texts it made before for the same bytes: each must be the
/// text of the bytes asked for, whatever was asked before it, and nothing else.
@Suite struct TextInternerTests {
    static func made(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test func eachTextIsTheOneItsBytesMake() {
        let interner = TextInterner()
        var texts: [[UInt8]] = [[], Array("a".utf8), [0x61, 0x00], [0x61, 0x00, 0x00], Array("sg015".utf8), Array("sg0150".utf8),
                                Array("王秀英".utf8), Array("助老服务队".utf8), Array("助老服务队员".utf8), Array("VOL-123456789012".utf8),
                                Array("123456789012345".utf8), Array("1234567890123456".utf8), [0xE7, 0x8E], [0xFF, 0x41], [0xC0, 0x80]]
        // Far more texts than the interner has places, so many fall on a place another holds.
        var generator = SplitMix64(seed: 20261202)
        for _ in 0..<6000 {
            let count = Int.random(in: 1...17, using: &generator)
            texts.append((0..<count).map { _ in UInt8.random(in: 0x20...0x7A, using: &generator) })
        }
        for round in 0..<3 {
            for bytes in round == 1 ? texts.reversed() : texts {
                let text = bytes.withUnsafeBufferPointer { interner.text($0) }
                #expect(text == Self.made(bytes) && Array(text.utf8) == Array(Self.made(bytes).utf8), "\(bytes)")
            }
        }
    }

    /// Dates, valid or not, asked in any order: each reads as its own bytes read, and a time as
    /// its own text reads.
    @Test func eachDayIsTheOneItsBytesName() {
        let interner = TextInterner()
        var dates = ["2026-11-30", "2026-11-31", "2026-02-29", "2024-02-29", "2026-13-01", "2026-00-10", "1899-12-31", "3000-01-01",
                     "2026-1-011", "2026/11/30", "2026-11-3", "2026-11-300", "", "\0\0\0\0\0\0\0\0\0\0"]
        var generator = SplitMix64(seed: 20261202)
        for _ in 0..<3000 {
            let y = Int.random(in: 2023...2027, using: &generator), m = Int.random(in: 1...12, using: &generator)
            let d = Int.random(in: 1...31, using: &generator)
            dates.append("\(y)-\(m < 10 ? "0" : "")\(m)-\(d < 10 ? "0" : "")\(d)")
        }
        for round in 0..<2 {
            for date in round == 0 ? dates : dates.reversed() {
                let bytes = Array(date.utf8)
                let read = bytes.withUnsafeBufferPointer { interner.day($0) }
                #expect(read == bytes.withUnsafeBufferPointer { Day(isoBytes: $0) }, "\(date)")
                for time in ["T08:30:00Z", "T23:59:60Z", "T24:00:00Z", "T08:30:00.5Z", "T08:30:00"] {
                    let stamp = Array((date + time).utf8)
                    #expect(stamp.withUnsafeBufferPointer { Timestamp(isoBytes: $0, date: interner.day(Timestamp.datePart(of: $0))) }
                            == stamp.withUnsafeBufferPointer { Timestamp(isoBytes: $0) }, "\(date)\(time)")
                }
            }
        }
        // Fixed answers, apart from the reader the memo shares its code with.
        func stamp(_ text: String) -> Int64? {
            Array(text.utf8).withUnsafeBufferPointer { Timestamp(isoBytes: $0, date: interner.day(Timestamp.datePart(of: $0))) }?.seconds
        }
        #expect(stamp("2026-11-30T08:30:00Z") == Int64(Day(iso: "2026-11-30")!.number) * 86400 + 8 * 3600 + 30 * 60)
        for bad in ["2026/11/30T08:30:00Z", "2026-11-30X08:30:00Z", "2026-11-31T08:30:00Z", "2026-11-30T24:00:00Z",
                    "2026-11-30T08:30:00", "2026-11-30T08-30:00Z", "2026-11-3", ""] {
            #expect(stamp(bad) == nil, "\(bad)")
        }
    }

    /// A parser with no interner makes each text, as one with it gives.
    @Test func aParserWithoutAnInternerMakesTheText() {
        let bytes = Array("sg015".utf8)
        let interner = TextInterner()
        bytes.withUnsafeBufferPointer { b in
            var p = JSONParser(b)
            #expect(p.text(b) == "sg015")
            p.interner = interner.table
            #expect(p.text(b) == "sg015" && p.text(b) == "sg015")
        }
    }
}
