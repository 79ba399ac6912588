import Foundation
import Testing
@testable import ShegongDomain

@Suite struct PinyinTests {
    @Test func namesGiveTheirInitialsAndSurnamesAreReadAsSurnames() {
        #expect(Pinyin.initials("张晓芳") == "zxf")
        #expect(Pinyin.initials("李A明·3") == "lam")
        #expect(Pinyin.nameInitials("曾晓芳") == ["cxf", "zxf"], "曾 as a surname is Zēng")
        #expect(Pinyin.nameInitials("单丽") == ["dl", "sl"])
        #expect(Pinyin.Query("WJ")?.starts("王建国") == true && Pinyin.Query("jg")?.starts("王建国") == false)
        #expect(Pinyin.Query("zxf")?.starts("曾晓芳") == true && Pinyin.Query("cxf")?.starts("曾晓芳") == true, "a surname either way")
        #expect(Pinyin.Query("wjgx")?.starts("王建国") == false, "more letters than the name has")
        #expect(Pinyin.Query("w j") == nil && Pinyin.Query("王") == nil && Pinyin.Query("") == nil, "only letters are initials")
    }

    /// The checked-in table is ICU's Han-Latin reading of every character, as Foundation has it.
    /// `UPDATE_PINYIN=1` rewrites it after a deliberate change of source.
    @Test func theTableIsICUsReadingOfEveryCharacter() throws {
        var expected: [UInt8] = []
        for v in Pinyin.first...0x9FFF {
            let latin = String(Character(Unicode.Scalar(v)!)).applyingTransform(.mandarinToLatin, reverse: false)?
                .applyingTransform(.stripDiacritics, reverse: false)?.lowercased() ?? ""
            let first = latin.utf8.first.flatMap { (0x61...0x7A).contains($0) ? $0 : nil }
            expected.append(first ?? UInt8(ascii: "-"))
        }
        if ProcessInfo.processInfo.environment["UPDATE_PINYIN"] == "1" {
            let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Sources/ShegongDomain/Pinyin.swift").path
            let source = try String(contentsOfFile: path, encoding: .utf8)
            let head = source.components(separatedBy: "    static let table = \"\"\"\n")[0]
            let rows = stride(from: 0, to: expected.count, by: 128).map { "        " + String(decoding: expected[$0..<min($0 + 128, expected.count)], as: UTF8.self) }
            try (head + "    static let table = \"\"\"\n" + rows.joined(separator: "\n") + "\n        \"\"\"\n}\n").write(toFile: path, atomically: true, encoding: .utf8)
        }
        let differing = zip(expected, Pinyin.letters).filter { $0 != $1 }.count
        #expect(Pinyin.letters.count == expected.count && differing == 0, "\(differing) characters differ; UPDATE_PINYIN=1 swift test --filter Pinyin")
    }
}
