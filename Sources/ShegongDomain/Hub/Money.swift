/// An amount of money in fen (分), exact: funds, grants and budgets are added and compared as
/// integers, never as floating point. Written in events as a whole number of fen.
public struct Money: Comparable, Hashable, Sendable, CustomStringConvertible {
    public var fen: Int

    public init(fen: Int) { self.fen = fen }
    public static let zero = Money(fen: 0)

    /// The most one entry may name: 100 million yuan, far above any station's fund and far below overflow.
    public static let limit = Money(fen: 100_000_000 * 100)

    /// Reads what a person types: `1234.5`, `1,234.56`, `¥800`, `800元`, `3.5万` or `3.5万元`
    /// (at most two decimals of a yuan, four of 万). Nil for anything else, negative amounts included.
    public init?(text: String) {
        var t = Substring(text.trimmingSpaces)
        for sign in ["¥", "￥"] where t.hasPrefix(sign) { t = t.dropFirst() }
        if t.hasSuffix("元") { t = t.dropLast() }
        var scale = 2  // decimals of a yuan that make a fen
        if t.hasSuffix("万") { t = t.dropLast(); scale = 6 }
        let plain = t.filter { $0 != "," && $0 != "，" }
        let parts = plain.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty,
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }) else { return nil }
        let decimals = parts.count == 2 ? parts[1] : ""
        guard decimals.count <= scale - (scale == 6 ? 2 : 0), parts[0].count <= 12 else { return nil }
        var fen = 0
        for c in parts[0] { fen = fen * 10 + Int(String(c))! }
        for k in 0..<scale { fen = fen * 10 + (k < decimals.count ? Int(String(decimals[decimals.index(decimals.startIndex, offsetBy: k)]))! : 0) }
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
