/// A fund statement as a person reads it (the CLI's table, CSV for a spreadsheet). Donor names
/// were typed by someone else: every cell is escaped for where it goes.
extension FundStatement {
    public func heading(chinese zh: Bool) -> [(String, Money)] {
        zh ? [("期初余额", opening), ("本期收入", income), ("本期支出", outgo), ("期末余额", closing)]
            : [("opening balance", opening), ("income", income), ("outgo", outgo), ("closing balance", closing)]
    }

    public static func columns(chinese zh: Bool) -> [String] {
        zh ? ["日期", "账目", "类型", "收入", "支出", "用途", "对方", "收据号", "冲正"]
            : ["date", "entry", "kind", "in", "out", "pool", "counterparty", "receipt", "reversal"]
    }

    /// One row per entry: income and outgo in their own columns, as a ledger is kept.
    public func rows(chinese zh: Bool) -> [[String]] {
        lines.map { line in
            let e = line.entry
            return [e.day.iso, e.id, e.kind.label(chinese: zh), line.isIncome ? line.amount.yuan : "", line.isIncome ? "" : line.amount.yuan,
                    e.pool.label(chinese: zh), e.counterparty, e.receipt,
                    e.reverses.map { zh ? "冲正 \($0)" : "reverses \($0)" } ?? e.reversedBy.map { zh ? "已由 \($0) 冲正" : "reversed by \($0)" } ?? ""]
        }
    }

    public func csv(chinese zh: Bool, byteOrderMark: Bool = false) -> String {
        var out = byteOrderMark ? "\u{FEFF}" : ""
        out += SafeText.csvLine([fund.name, from.iso, to.iso])
        for (label, money) in heading(chinese: zh) { out += SafeText.csvLine([label, money.yuan]) }
        out += SafeText.csvLine(Self.columns(chinese: zh))
        for row in rows(chinese: zh) { out += SafeText.csvLine(row) }
        return out
    }
}
