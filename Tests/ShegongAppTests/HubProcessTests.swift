import Foundation
import Testing
import ShegongDomain
import ShegongProcess
import ShegongStore
import ShegongTestSupport

/// The hub's money rules across real processes: checked under the log's lock, so two people
/// granting from the same fund at the same moment cannot overdraw it between them.
@Suite struct HubProcessTests {
    /// A station with a supervisor (sup1), a fund F-1 holding `held` yuan unrestricted plus 5,000
    /// for children, and an approved elderly-care project PJ-1 (approved for all of it).
    func station(_ dir: TempDir, held: String) throws -> String {
        let s = dir.file("s.log")
        let steps: [[String]] = [
            ["init", "--store", s, "--station", "弹子石街道社工站"],
            ["add", "staff", "--store", s, "--account", "sup1", "--name", "王督导", "--role", "supervisor", "--site", "S-1"],
            ["add", "fund", "--store", s, "--name", "弹子石公益慈善基金库", "--kind", "charity-pool", "--site", "S-1"],
            ["add", "donation", "--store", s, "--fund", "F-1", "--amount", held, "--donor", "重庆某公司", "--receipt", "R-001"],
            ["add", "donation", "--store", s, "--fund", "F-1", "--amount", "5000", "--donor", "居民张先生", "--purpose", "儿童"],
            ["add", "project", "--store", s, "--name", "长者食堂", "--kind", "organisation", "--applicant", "邻里互助会",
             "--source", "fund-pool", "--field", "elderly", "--site", "S-1", "--budget", "10万"],
            ["add", "project-screen", "--store", s, "--as", "sup1", "--id", "PJ-1", "--opinion", "可行"],
            ["add", "project-approve", "--store", s, "--as", "sup1", "--id", "PJ-1", "--amount", "10万"],
        ]
        for args in steps {
            let r = try run(args)
            #expect(r.status == 0, "\(args): \(r.stderr)")
        }
        return s
    }

    @Test func grantsStartedAtOnceNeverOverdrawTheFund() throws {
        let dir = TempDir()
        let s = try station(dir, held: "10000")
        let grants = try (0..<8).map { _ in
            try ChildProcess(shegongBinary, ["add", "grant", "--store", s, "--fund", "F-1", "--project", "PJ-1", "--amount", "3000"])
        }
        let results = grants.map { $0.wait() }
        let accepted = results.filter { $0.status == 0 }
        #expect(accepted.count == 3, "3 × 3,000 fit in 10,000, a fourth does not: \(results.map(\.stderr))")
        for refused in results where refused.status != 0 {
            #expect(refused.stderr.contains("holds 1,000.00 yuan, less than 3,000.00"), "\(refused.stderr)")
        }
        let statement = try run(["statement", "--store", s, "--fund", "F-1", "--format", "csv", "--lang", "en"])
        #expect(statement.stdout.contains("closing balance,6000.00") || statement.stdout.contains("closing balance,\"6,000.00\""),
                "1,000 unrestricted and the children's 5,000 remain: \(statement.stdout)")
        #expect(try run(["verify", "--store", s]).status == 0)
        let store = try Store.open(path: s, wantWrite: false)
        #expect(store.state.hub.project("PJ-1")?.granted == Money(fen: 900_000))
        // The children's money stays out of the elderly-care project whoever asks.
        let misuse = try run(["add", "grant", "--store", s, "--fund", "F-1", "--project", "PJ-1", "--amount", "100", "--purpose", "children"])
        #expect(misuse.status != 0 && misuse.stderr.contains("restricted to children"), "\(misuse.stderr)")
    }

    @Test func aStatementPrintsHostileDonorNamesHarmlessly() throws {
        let dir = TempDir()
        let s = try station(dir, held: "100")
        let r = try run(["add", "donation", "--store", s, "--fund", "F-1", "--amount", "1", "--donor", "=HYPERLINK(\"x\")\u{1B}]52;c;AAAA\u{07}"])
        #expect(r.status == 0, "\(r.stderr)")
        let table = try run(["statement", "--store", s, "--fund", "F-1"])
        #expect(!table.stdout.contains("\u{1B}") && table.stdout.contains("\\x1B]52"), "\(table.stdout)")
        let csv = try run(["statement", "--store", s, "--fund", "F-1", "--format", "csv"])
        #expect(csv.stdout.contains(",\"'=HYPERLINK(\"\"x\"\")"), "a formula is text in a spreadsheet: \(csv.stdout)")
        let unknown = try run(["statement", "--store", s, "--fund", "F-9"])
        #expect(unknown.status != 0 && unknown.stderr.contains("unknown fund: F-9"))
    }
}
