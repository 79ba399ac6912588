/// A charity fund (公益慈善基金库, 社区基金): its money is the sum of its ledger entries, kept
/// apart by what it may be spent on (`Pool`), so neither the whole nor any part goes negative.
public struct Fund: Equatable, Sendable {
    public var id: String
    public var name: String
    public var kind: FundKind
    public var site: String
    public var openedOn: Day
    public var version = 1
}

/// What money in a fund may be spent on: anything, or only `purpose` (a restricted donation);
/// goods given in kind are spent only in kind.
public struct Pool: Hashable, Sendable, Comparable {
    public var purpose: ProjectField?
    public var inKind: Bool

    public init(purpose: ProjectField? = nil, inKind: Bool = false) { self.purpose = purpose; self.inKind = inKind }

    public static func < (a: Pool, b: Pool) -> Bool {
        (a.inKind ? 1 : 0, a.purpose?.rawValue ?? "") < (b.inKind ? 1 : 0, b.purpose?.rawValue ?? "")
    }

    /// For a list column: the purpose alone, or 非限定; ·实物 for goods.
    public func shortLabel(chinese zh: Bool) -> String {
        (purpose.map { zh ? $0.zh : $0.en } ?? (zh ? "非限定" : "any")) + (inKind ? (zh ? "·实物" : " (kind)") : "")
    }

    public func label(chinese zh: Bool) -> String {
        let what = purpose.map { zh ? "限定用途:\($0.zh)" : "restricted to \($0.en)" } ?? (zh ? "非限定" : "unrestricted")
        return inKind ? what + (zh ? "(实物)" : " (in kind)") : what
    }
}

/// One line of a fund's ledger. Never changed: a mistake is undone by a reversal, which is an
/// entry of its own with the opposite amount.
public struct LedgerEntry: Equatable, Sendable {
    public var id: String
    public var fund: Int32
    public var day: Day
    public var kind: EntryKind
    /// What the entry does to the fund's balance: positive in, negative out.
    public var amount: Money
    public var pool: Pool
    /// The donor (a donation), the other fund (a transfer), or the project or wish granted to.
    public var counterparty: String
    public var receipt: String
    /// The entry a reversal undoes; set on the undone entry to the reversal that undid it.
    public var reverses: String?
    public var reversedBy: String?
    public var recorder: String
    public var offset: Int64
}

/// A fund's figures for a period: opening balance, money in, money out, closing balance, and
/// the entries between, each in the column it counts in. Opening + income − outgo = closing by
/// construction; a test holds the ledger to it for any period.
public struct FundStatement: Equatable, Sendable {
    public var fund: Fund
    public var from: Day
    public var to: Day
    public var opening: Money
    public var lines: [StatementLine]
    /// What each pool holds at the period's end.
    public var pools: [PoolBalance]

    public var income: Money { lines.filter { $0.isIncome }.map(\.amount).sum() }
    public var outgo: Money { lines.filter { !$0.isIncome }.map(\.amount).sum() }
    public var closing: Money { opening + income - outgo }
}

/// An entry as a statement shows it: in the income or the outgo column. A reversal stands in the
/// column of what it undoes, negated, so a period already reported keeps its figures.
public struct StatementLine: Equatable, Sendable {
    public var entry: LedgerEntry
    public var isIncome: Bool
    public var amount: Money
}

public struct PoolBalance: Equatable, Sendable {
    public var pool: Pool
    public var balance: Money
}

extension Hub {
    /// The money a fund's pool holds now (or, with `through`, at the end of that day).
    public func balance(of fund: Int32, pool: Pool? = nil, through day: Day? = nil) -> Money {
        entries.lazy.filter { $0.fund == fund && (pool == nil || $0.pool == pool) && (day == nil || $0.day <= day!) }
            .map(\.amount).reduce(.zero, +)
    }

    /// The least a pool holds at the end of any day from `day` on: what an entry dated `day` may
    /// take out without making a statement of some later period, already printed or not, go negative.
    public func spendable(from fund: Int32, pool: Pool, on day: Day) -> Money {
        let mine = entries.filter { $0.fund == fund && $0.pool == pool }
        var running = mine.filter { $0.day <= day }.map(\.amount).sum()
        var lowest = running
        for e in mine.filter({ $0.day > day }).sorted(by: { $0.day < $1.day }) {
            running += e.amount
            lowest = min(lowest, running)
        }
        return lowest
    }

    /// The statement of `fund` from `from` to `to`, both days included.
    public func statement(of fund: Int32, from: Day, to: Day) -> FundStatement {
        let mine = entries.filter { $0.fund == fund }
        let opening = mine.filter { $0.day < from }.map(\.amount).sum()
        // By day, and within a day in the order they were recorded (a stable sort keeps log order).
        let lines = mine.filter { $0.day >= from && $0.day <= to }.sorted { $0.day < $1.day }.map { e -> StatementLine in
            let income = countsAsIncome(e)
            return StatementLine(entry: e, isIncome: income, amount: income ? e.amount : -e.amount)
        }
        var pools: [Pool: Money] = [:]
        for e in mine where e.day <= to { pools[e.pool, default: .zero] += e.amount }
        return FundStatement(fund: funds[Int(fund)], from: from, to: to, opening: opening, lines: lines,
                             pools: pools.filter { $0.value != .zero }.sorted { $0.key < $1.key }.map { PoolBalance(pool: $0.key, balance: $0.value) })
    }

    public func reversedKind(of reversal: LedgerEntry) -> EntryKind? {
        reversal.reverses.flatMap { entry($0, fund: reversal.fund) }.map(\.kind)
    }

    /// An entry by its id on one fund (a transfer's two sides share their id, one on each fund).
    public func entry(_ id: String, fund: Int32) -> LedgerEntry? {
        entryPosition(id, fund: fund).map { entries[Int($0)] }
    }

    public func entryPosition(_ id: String, fund: Int32) -> Int32? { entryIndex[EntryKey(fund: fund, id: id)] }

    /// Whether an entry counts as money in (else out): a reversal counts on the side of what it undoes.
    public func countsAsIncome(_ e: LedgerEntry) -> Bool {
        e.kind == .reversal ? reversedKind(of: e)?.isIncome ?? (e.amount.fen >= 0) : e.amount.fen >= 0
    }

    /// Every side of an entry: one, or two for a transfer.
    public func sides(of id: String) -> [LedgerEntry] {
        (0..<Int32(funds.count)).compactMap { entry(id, fund: $0) }
    }
}

struct EntryKey: Hashable, Sendable {
    var fund: Int32
    var id: String
}

extension EntryKind {
    public var isIncome: Bool { self == .donation || self == .transferIn }
}
