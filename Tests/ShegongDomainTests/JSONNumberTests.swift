import Testing
@testable import ShegongDomain

/// Plain decimals (hours, amounts) are read without making their text: the value must be the one
/// `Double(String)` gives for every such text, and every other number still goes the long way.
@Suite struct JSONNumberTests {
    static func parsed(_ text: String) throws -> JSON { try JSON.parse(text) }

    @Test func aPlainDecimalReadsAsItsTextReads() throws {
        var texts = ["0.5", "1.5", "-0.5", "-0.0", "0.1", "0.3", "2.675", "9007199254740.991", "9007199254740.992", "900719925474099.1",
                     "0.000000000000001", "0.0000000000000001", "0.999999999999999", "123.456", "02.50", "1.10", "8.333333333333333",
                     "4503599627370495.5", "1.123456789012345", "1.1234567890123456"]
        var generator = SplitMix64(seed: 20261201)
        for _ in 0..<3000 {
            // Up to nine digits before the point and fifteen after: most within 2^53, some past it.
            let whole = Int.random(in: 0...999_999_999, using: &generator)
            let places = Int.random(in: 1...(whole < 1000 ? 15 : 7), using: &generator)
            var fraction = ""
            for _ in 0..<places { fraction.append(String(Int.random(in: 0...9, using: &generator))) }
            texts.append("\(Bool.random(using: &generator) ? "-" : "")\(whole).\(fraction)")
        }
        for text in texts {
            let read = try Self.parsed(text)
            let expected = try #require(Double(text), "\(text)")
            guard case .double(let value) = read else { Issue.record("\(text) read as \(read)"); continue }
            #expect(value.bitPattern == expected.bitPattern, "\(text): \(value) against \(expected)")
        }
    }

    @Test func otherNumbersReadAsBefore() throws {
        for text in ["1e3", "1.5e2", "0.12345678901234567", "12345678901234567.5", "-1.25E-1", "3", "-7", "99999999999999999999"] {
            let read = try Self.parsed(text)
            switch read {
            case .int(let i): #expect(Int(text) == i, "\(text)")
            case .double(let d): #expect(Double(text).map { $0.bitPattern == d.bitPattern } ?? false, "\(text)")
            default: Issue.record("\(text) read as \(read)")
            }
        }
        #expect((try? Self.parsed("1.2.3")) == nil)
        #expect((try? Self.parsed("-")) == nil)
        #expect(try Self.parsed(#"{"hours":1.5,"n":2}"#)["hours"] == .double(1.5))
        // A plain decimal ends where the tree's reader ends it, before what follows.
        #expect(try Self.parsed("[1.5,2.25]") == .array([.double(1.5), .double(2.25)]))
        #expect(try Self.parsed("[1.5 ]") == .array([.double(1.5)]))
        for text in ["1.5e1", "1.5E1", "1.5e+1", "1.5-1", "1.5.1"] {
            #expect((try? Self.parsed(text)) == Double(text).map { JSON.double($0) }, "\(text)")
        }
    }
}
