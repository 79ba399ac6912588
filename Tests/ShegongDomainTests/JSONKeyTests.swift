import Testing
@testable import ShegongDomain

/// A replay names each key of a body by its bytes as one word, read with one load where the
/// parser's bytes go on far enough, and byte by byte where they end sooner: both must give the
/// word of the key's own bytes, and nothing of what follows it.
@Suite struct JSONKeyTests {
    @Test func aKeysWordIsItsOwnBytesWhereverItEnds() {
        let text = Array(#"{"person":"P-1","date":"x","":1,"followup":"y","volunteer":"z","ab":"#.utf8)
        text.withUnsafeBufferPointer { all in
            // Every cut of the text, so that some keys end just before the bytes do.
            for end in 1...all.count {
                let bytes = UnsafeBufferPointer(rebasing: all[0..<end])
                let p = JSONParser(bytes)
                for start in 0..<end {
                    for count in 0...min(9, end - start) {
                        let key = UnsafeBufferPointer(rebasing: bytes[start..<(start + count)])
                        #expect(p.word(ofKey: key) == JSONParser.word(key), "\(start) \(count) of \(end)")
                    }
                }
            }
        }
        #expect(JSONParser.word("person") == 0x6E6F_7372_6570)
    }
}
