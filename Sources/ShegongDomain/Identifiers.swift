/// Resident ID numbers (公民身份号码, GB 11643): 6 digits of region, the birth date as YYYYMMDD,
/// 3 digits of sequence (odd for men, even for women) and a check character.
public enum ResidentID {
    static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    static let checkCharacters = Array("10X98765432")

    /// The check character for the first 17 digits (nil unless they are 17 digits).
    public static func checkCharacter(_ body: some StringProtocol) -> Character? {
        let digits = body.compactMap(\.wholeNumberValue)
        guard body.count == 17, digits.count == 17 else { return nil }
        return checkCharacters[zip(digits, weights).reduce(0) { $0 + $1.0 * $1.1 } % 11]
    }

    /// As stored: no spaces, an upper-case X.
    public static func normalized(_ text: String) -> String { String(text.filter { $0 != " " }.uppercased()) }

    /// The birth date and sex a well-formed number states; nil when it is not 18 characters, the
    /// date does not exist, or the check character does not match (a typo, most often).
    public static func parse(_ text: String) -> (birth: Day, sex: Sex)? {
        let id = Array(normalized(text))
        guard id.count == 18, checkCharacter(String(id[0..<17])) == id[17],
              let birth = Day(iso: "\(String(id[6..<10]))-\(String(id[10..<12]))-\(String(id[12..<14]))"),
              let sequence = id[16].wholeNumberValue else { return nil }
        return (birth, sequence % 2 == 1 ? .male : .female)
    }
}

/// Phone numbers as stations write them: a mainland mobile (11 digits from 13 to 19, with or
/// without +86) or a landline with its area code (023-62345678).
public enum PhoneNumber {
    public static func normalized(_ text: String) -> String? {
        var compact = String(text.filter { $0 != " " && $0 != "-" })
        for country in ["+86", "0086"] where compact.hasPrefix(country) && compact.count == country.count + 11 {
            compact.removeFirst(country.count)
        }
        let digits = compact.allSatisfy(\.isASCII) && compact.allSatisfy(\.isNumber)
        guard digits else { return nil }
        if compact.count == 11, compact.hasPrefix("1"), let second = compact.dropFirst().first?.wholeNumberValue, second >= 3 {
            return compact
        }
        if compact.hasPrefix("0"), (10...12).contains(compact.count) {
            let area = compact.hasPrefix("01") || compact.hasPrefix("02") ? 3 : 4
            return String(compact.prefix(area)) + "-" + String(compact.dropFirst(area))
        }
        return nil
    }
}
