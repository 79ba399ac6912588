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
