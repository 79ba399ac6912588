import ArgumentParser
import ShegongApp
import ShegongDomain
import ShegongStore
import ShegongTerminal

/// A fund's statement (期初, 收入, 支出, 期末) for any period, as a table or CSV.
struct StatementCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "statement",
                                                    abstract: "A fund's statement (基金收支表) for a period: opening, in, out, closing, and every entry.")
    @OptionGroup var options: StoreOption
    @Option(help: "The fund (F-1) or its name.") var fund: String
    @Option(help: "First day (default: 1 January of the last day's year).") var from: String?
    @Option(help: "Last day (default: today).") var to: String?
    @Option(help: "table or csv") var format = "table"
    @Option(help: "zh or en") var lang: String?
    @Flag(help: "Start the CSV with a UTF-8 byte order mark.") var bom = false

    func run() throws {
        let today = Identity.context(actor: "").today
        guard let toDay = to.map({ DateInput.parse($0, today: today) }) ?? today else { fail("bad --to date: \(to ?? "")") }
        guard let fromDay = from.map({ DateInput.parse($0, today: today) }) ?? Day(year: toDay.components.year, month: 1, day: 1) else {
            fail("bad --from date: \(from ?? "")")
        }
        if fromDay > toDay { fail("--from \(fromDay) is after --to \(toDay)") }
        let store = guarded { try Store.open(path: try options.path(), wantWrite: false) }
        let viewer = requireViewer(store, try options.actor())
        let hub = store.state.hub
        // A fund the viewer may not see gets the answer a fund that does not exist gets.
        guard Policy.hub(for: viewer) == .full,
              let position = hub.fundPosition(fund) ?? hub.funds.firstIndex(where: { $0.name == fund }).map(Int32.init) else {
            fail("unknown fund: \(SafeText.terminal(fund))")
        }
        let statement = hub.statement(of: position, from: fromDay, to: toDay)
        let chinese = Language.resolve(lang) == .zh
        switch format {
        case "csv": FileHandleOutput.stdout(statement.csv(chinese: chinese, byteOrderMark: bom))
        case "table":
            print("\(SafeText.terminal(statement.fund.name))  \(fromDay) — \(toDay)")
            let heading = statement.heading(chinese: chinese)
            let width = heading.map { TextWidth.of($0.0) }.max() ?? 8
            for (label, money) in heading { print(TextWidth.pad(label, to: width) + "  " + TextWidth.pad(money.yuan, to: 16, alignRight: true)) }
            print("")
            printTable([FundStatement.columns(chinese: chinese)] + statement.rows(chinese: chinese), rightAligned: [3, 4])
        default: fail("--format must be table or csv")
        }
    }
}

/// Rows aligned by display width (a Chinese character takes two cells), every cell escaped for
/// the terminal; the first row is the heading.
func printTable(_ rows: [[String]], rightAligned: Set<Int> = []) {
    guard let first = rows.first else { return }
    let safe = rows.map { $0.map { SafeText.terminal($0) } }
    let widths = (0..<first.count).map { c in safe.map { c < $0.count ? TextWidth.of($0[c]) : 0 }.max() ?? 0 }
    for row in safe {
        let line = zip(row, widths).enumerated().map { c, cell in TextWidth.pad(cell.0, to: cell.1, alignRight: rightAligned.contains(c)) }
        print(String(line.joined(separator: "  ").reversed().drop { $0 == " " }.reversed()))
    }
}
