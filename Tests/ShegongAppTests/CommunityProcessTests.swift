import Foundation
import Testing
import ShegongDomain
import ShegongStore
import ShegongTestSupport

/// Micro-wishes and the talent pool through the command line, on a real store: what a donor is
/// handed names nobody, and a card that would name someone is refused with nothing lost.
@Suite struct CommunityProcessTests {
    func station(_ dir: TempDir) throws -> String {
        let s = dir.file("s.log")
        let steps: [[String]] = [
            ["init", "--store", s, "--station", "弹子石街道社工站"],
            ["add", "site", "--store", s, "--name", "彩云社区", "--tier", "community", "--parent", "S-1"],
            ["add", "staff", "--store", s, "--account", "sup1", "--name", "王督导", "--role", "supervisor", "--site", "S-1"],
            ["add", "staff", "--store", s, "--account", "sg001", "--name", "张晓芳", "--role", "worker", "--site", "S-2", "--supervisor", "sup1"],
            ["add", "person", "--store", s, "--as", "sg001", "--name", "刘桂兰", "--community", "S-2", "--address", "彩云社区3栋2单元501",
             "--phone", "13800138000", "--worker", "sg001"],
        ]
        for args in steps {
            let r = try run(args)
            #expect(r.status == 0, "\(args): \(r.stderr)")
        }
        return s
    }

    @Test func aDonorsCardsNameNobodyAndACardThatWouldIsRefused() throws {
        let dir = TempDir()
        let s = try station(dir)
        let before = try Store.open(path: s, wantWrite: false).position.count
        let naming = try run(["add", "wish", "--store", s, "--as", "sg001", "--person", "P-1", "--item", "收音机", "--value", "120",
                              "--source", "worker-noted", "--consent", "是", "--card", "刘桂兰奶奶住3栋2单元501,想要收音机"])
        #expect(naming.status != 0 && naming.stderr.contains("shown to donors"), "\(naming.stderr)")
        #expect(try Store.open(path: s, wantWrite: false).position.count == before, "nothing written")
        let posted = try run(["add", "wish", "--store", s, "--as", "sg001", "--person", "P-1", "--item", "收音机", "--value", "120",
                              "--source", "worker-noted", "--consent", "是", "--card", "\u{200B}=HYPERLINK(\"x\") 一位独居老人想要一台收音机听戏"])
        #expect(posted.status == 0, "\(posted.stderr)")
        let cards = try run(["export", "--store", s, "--kind", "wish-cards", "--format", "csv"])
        #expect(cards.status == 0, "\(cards.stderr)")
        #expect(cards.stdout.contains("收音机") && cards.stdout.contains("彩云社区") && cards.stdout.contains("120.00"), "\(cards.stdout)")
        for secret in ["刘桂兰", "桂兰", "13800138000", "3栋2单元501", "P-1"] { #expect(!cards.stdout.contains(secret), "\(secret): \(cards.stdout)") }
        #expect(cards.stdout.contains("\"'\u{200B}=HYPERLINK"), "a formula behind a zero-width space is text too: \(cards.stdout)")
        // The station's own list does name her, for the staff who may see her.
        let ownList = try run(["export", "--store", s, "--kind", "wishes", "--format", "csv", "--as", "sg001"])
        #expect(ownList.stdout.contains("刘桂兰"), "\(ownList.stdout)")
    }

    @Test func theTalentTableShowsWhoIsDueForContinuingEducation() throws {
        let dir = TempDir()
        let s = try station(dir)
        for args in [
            ["add", "talent", "--store", s, "--as", "sup1", "--name", "张晓芳", "--kind", "station-worker", "--site", "S-2", "--account", "sg001"],
            ["add", "talent", "--store", s, "--as", "sup1", "--name", "王督导", "--kind", "station-worker", "--site", "S-1", "--account", "sup1"],
            ["add", "certificate", "--store", s, "--as", "sup1", "--id", "sg001", "--level", "社会工作师", "--certificate", "2019-0042", "--date", "2019-06-30"],
            ["add", "certificate", "--store", s, "--as", "sup1", "--id", "sup1", "--level", "senior", "--certificate", "2016-0001", "--date", "2016-06-30"],
            ["add", "training", "--store", s, "--title", "继续教育专题", "--programme", "continuing", "--site", "S-1", "--hours", "8",
             "--attendees", "sup1"],
            ["add", "supervision-hours", "--store", s, "--as", "sup1", "--id", "sg001", "--supervisor", "sup1", "--hours", "1.5", "--form", "individual"],
        ] {
            let r = try run(args)
            #expect(r.status == 0, "\(args): \(r.stderr)")
        }
        let table = try run(["export", "--store", s, "--kind", "talent", "--format", "csv"])
        let rows = table.stdout.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let worker = try #require(rows.first { $0.first == "T-1" }), lead = try #require(rows.first { $0.first == "T-2" })
        #expect(worker[5] == "社会工作师" && worker[9] == "1.5" && worker.last == "是", "\(worker)")
        #expect(lead[8] == "8" && lead[10] == "1.5" && lead.last == "是", "8 of 72 hours, and 1.5 hours of supervision given: \(lead)")
        let aligned = try run(["export", "--store", s, "--kind", "talent", "--format", "table"])
        #expect(aligned.status == 0 && aligned.stdout.contains("社会工作师"), "\(aligned.stderr)")
    }
}
