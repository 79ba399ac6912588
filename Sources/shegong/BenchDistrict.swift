import ArgumentParser
import Foundation
import ShegongApp
import ShegongDistrict
import ShegongDomain
import ShegongProcess

/// Shipping to a district and reporting there, each step a separate `shegong` process as cron
/// and a district officer would run it. Needs a scratch database: its `shegong` schema is dropped.
struct BenchDistrict: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench-district",
                                                    abstract: "Measure shipping to a district's PostgreSQL and reporting there.")
    @Option(help: "A scratch database (its shegong schema is dropped first), e.g. from .ci/postgres-start.") var url: String
    @Option(help: "Directory for the benchmark stores (kept, so a second run reuses them).") var dir: String
    @Option(help: "Records of the one station shipped whole.") var records = 1_000_000
    @Option(help: "Stations in the district report.") var stations = 10
    @Option(help: "Events per station in the district report.") var perStation = 200_000

    func run() throws {
        Privilege.refuseWhenElevated("benchmarks")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let actor = Identity.realAccount
        let db = try PostgreSQL(url: url)
        try db.execute("DROP SCHEMA IF EXISTS shegong CASCADE")

        // One station's whole log, then a day's worth more.
        let big = dir + "/ship.log"
        if !FileManager.default.fileExists(atPath: big) {
            _ = guarded { try DemoFill.run(path: big, station: "弹子石街道社工站", origin: "弹子石", actor: actor, events: records, seed: 42) }
        }
        let whole = try timed(["sync", "--store", big, "--to", url])
        let shipped = Int(whole.output.split(separator: " ").dropFirst().first ?? "0") ?? 0
        say("ship \(shipped) records of one station: \(format2(whole.seconds)) s, \(Int(Double(shipped) / whole.seconds)) records/s")
        // A day at the station: 1,000 more records, then the next cron run.
        _ = guarded { try DemoFill.run(path: big, station: "", actor: actor, events: 1000, seed: UInt64(time(nil))) }
        let more = try timed(["sync", "--store", big, "--to", url])
        say("then 1,000 new records: \(format3(more.seconds)) s for the whole `shegong sync --to` process (goal: under 1 s)")

        // A district of `stations` stations.
        try db.execute("DROP SCHEMA IF EXISTS shegong CASCADE")
        var ownReport = 0.0
        for i in 1...stations {
            let path = dir + "/station-\(i).log"
            if !FileManager.default.fileExists(atPath: path) {
                _ = guarded { try DemoFill.run(path: path, station: "站点\(i)街道社工站", origin: "站点\(i)", actor: actor,
                                               events: perStation, seed: UInt64(100 + i)) }
            }
            _ = try timed(["sync", "--store", path, "--to", url])
            if i == 1 { ownReport = try timed(["report", "--store", path, "--format", "json"]).seconds }
        }
        let report = try timed(["bench-district-report", "--url", url])
        let parts = report.output.split(whereSeparator: { $0 == " " || $0 == "\n" })
        let seconds = Double(parts.first ?? "") ?? report.seconds, peakMB = (Double(parts.dropFirst().first ?? "") ?? 0) / 1000
        say("district report over \(stations) stations × \(perStation) events: \(format3(seconds)) s in the database, "
              + "\(format3(report.seconds)) s for the process, peak RSS \(format2(peakMB)) MB (goals: under 2 s, under 100 MB); "
              + "one station's own report (checkpoint open): \(format3(ownReport)) s")
    }

    /// Each figure as it is measured, unbuffered (the bench is often run into a file).
    func say(_ line: String) { FileHandleOutput.stdout(line + "\n") }

    func timed(_ args: [String]) throws -> (seconds: Double, output: String) {
        let t0 = monotonicSeconds()
        let r = try ChildProcess.run(thisExecutable(), args)
        let seconds = monotonicSeconds() - t0
        guard r.status == 0 else { throw ValidationError("\(args.joined(separator: " ")) failed: \(r.stderr)") }
        return (seconds, r.stdout)
    }
}

/// Computes the district's report for this month and prints "seconds peakRSS_kB" (bench-district's child).
struct BenchDistrictReport: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench-district-report", shouldDisplay: false)
    @Option var url: String

    func run() throws {
        let today = Identity.context(actor: "").today
        let t0 = monotonicSeconds()
        let db = try PostgreSQL(url: url)
        let result = try DistrictReport.compute(db, from: today.adding(months: -3), to: today)
        let seconds = monotonicSeconds() - t0
        precondition(result.stations.count > 0)
        print("\(seconds) \(peakResidentKB())")
    }
}
