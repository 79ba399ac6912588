/// An amount of money in fen (分), exact: funds, grants and budgets are added and compared as
/// integers, never as floating point. Written in events as a whole number of fen.
public struct Money: Comparable, Hashable, Sendable, CustomStringConvertible {
    public var fen: Int

    public init(fen: Int) { self.fen = fen }

    /// From a report figure in 万元 (see `inWan`), to the nearest fen.
    public init(wan: Double) { fen = Int((wan * 1_000_000).rounded()) }

    /// As a report figure in 万元: exact to the fen (a Double holds every fen far beyond any fund).
    public var inWan: Double { Double(fen) / 1_000_000 }
    public static let zero = Money(fen: 0)

    /// The most one entry may name: 100 million yuan, far above any station's fund and far below overflow.
    public static let limit = Money(fen: 100_000_000 * 100)

    /// Reads what a person types: `1234.5`, `1,234.56`, `¥800`, `800元`, `3.5万` or `3.5万元`
    /// (at most two decimals of a yuan, four of 万). Nil for anything else, negative amounts included.
    public init?(text: String) {
        // Full-width digits and separators, as Chinese input methods type them, read as ASCII.
        let halfWidth = String(text.trimmingSpaces.unicodeScalars.map { u -> Character in
            (0xFF10...0xFF19).contains(u.value) || u.value == 0xFF0E || u.value == 0xFF0C
                ? Character(Unicode.Scalar(u.value - 0xFEE0)!) : Character(u)
        })
        var t = Substring(halfWidth)
        if t.hasPrefix("¥") || t.hasPrefix("￥") { t = t.dropFirst() }
        if t.hasSuffix("元") { t = t.dropLast() }
        var scale = 2  // decimals of a yuan that make a fen
        if t.hasSuffix("万") { t = t.dropLast(); scale = 6 }
        let parts = t.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty, parts.count == 1 || !parts[1].isEmpty else { return nil }
        // Commas only as thousands separators: 1,234,567 (a slip such as 1,2,3 is refused, not read as 123).
        let groups = parts[0].split(separator: ",", omittingEmptySubsequences: false)
        guard groups.count == 1 || (!groups[0].isEmpty && groups[0].count <= 3 && groups.dropFirst().allSatisfy { $0.count == 3 }) else { return nil }
        let whole = groups.joined().drop { $0 == "0" }
        let decimals = parts.count == 2 ? parts[1] : ""
        guard (whole + decimals).allSatisfy({ $0.isASCII && $0.isNumber }),
              decimals.count <= (scale == 6 ? 4 : 2), whole.count <= 12 else { return nil }
        var fen = 0
        for c in whole { fen = fen * 10 + Int(String(c))! }
        let padded = Array(decimals) + Array(repeating: Character("0"), count: scale - decimals.count)
        for c in padded { fen = fen * 10 + Int(String(c))! }
        guard fen <= Money.limit.fen else { return nil }
        self.fen = fen
    }

    /// 1,234.56 (yuan, grouped by thousands; negative with a leading minus).
    public var yuan: String {
        let whole = abs(fen) / 100, cents = abs(fen) % 100
        var digits = String(whole)
        var grouped = ""
        while digits.count > 3 {
            grouped = "," + digits.suffix(3) + grouped
            digits.removeLast(3)
        }
        return (fen < 0 ? "-" : "") + digits + grouped + "." + (cents < 10 ? "0" : "") + String(cents)
    }

    /// 47.00 (万元, two decimals, rounded half up): how stations report funding upward.
    public var wan: String {
        let hundredths = (abs(fen) + 5_000) / 10_000   // 1 万元 = 1,000,000 fen; two decimals of 万
        return (fen < 0 ? "-" : "") + String(hundredths / 100) + "." + (hundredths % 100 < 10 ? "0" : "") + String(hundredths % 100)
    }

    public var description: String { yuan }

    public static func < (a: Money, b: Money) -> Bool { a.fen < b.fen }
    public static func + (a: Money, b: Money) -> Money { Money(fen: a.fen + b.fen) }
    public static func - (a: Money, b: Money) -> Money { Money(fen: a.fen - b.fen) }
    public static prefix func - (a: Money) -> Money { Money(fen: -a.fen) }
    public static func += (a: inout Money, b: Money) { a.fen += b.fen }
    public static func -= (a: inout Money, b: Money) { a.fen -= b.fen }
}

extension Sequence where Element == Money {
    public func sum() -> Money { reduce(.zero, +) }
}
