import ArgumentParser
import Foundation
import ShegongApp
import ShegongDomain
import ShegongProcess
import ShegongStore
import ShegongTerminal

/// Prints speed and memory figures; targets are compared as ratios measured in the same run.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Measure replay, checkpoint open, memory and append latency.")
    @Option(help: "Events in the benchmark log.") var events = 1_000_000
    @Option(help: "Directory for the benchmark store (default: a new temporary one, removed after).") var dir: String?
    @Option(help: "Appends to time for latency.") var appends = 300
    @Option(help: "Only the growth table, at these event counts (e.g. 100000,1000000,3000000).") var growth: String?

    func run() throws {
        Privilege.refuseWhenElevated("bench")
        let workDir = try dir ?? Privilege.privateTemporaryDirectory("shegong-bench")
        try FileManager.default.createDirectory(atPath: workDir, withIntermediateDirectories: true)
        defer { if dir == nil { try? FileManager.default.removeItem(atPath: workDir) } }
        let actor = Identity.realAccount
        if let growth {
            try growthTable(sizes: growth.split(separator: ",").compactMap { Int($0) }, in: workDir, actor: actor)
            return
        }
        let path = workDir + "/bench.log"
        if !FileManager.default.fileExists(atPath: path) {
            let t0 = monotonicSeconds()
            let n = guarded { try DemoFill.run(path: path, station: "弹子石街道社工站", actor: actor, events: events, seed: 42) }
            print("demo: wrote \(n) events in \(format2(monotonicSeconds() - t0)) s")
        }
        let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.doubleValue ?? 0
        let mb = size / 1_000_000
        print("log: \(format2(mb)) MB")

        unlink(path + ".checkpoint")
        // sha256sum is the reference every replay figure is a ratio of: reading and hashing the file
        // once. One run of it, or of a cold open, is at the mercy of whatever else the machine is
        // doing (here either varies by half from one run to the next): five pairs, each a cold open
        // beside a sha256sum (which goes first alternates), and the median of the pairs' ratios,
        // so that each ratio is of two runs under the same load.
        let sha = which("sha256sum")
        var shaRuns: [Double] = [], coldRuns: [Measured] = []
        func timeSha(_ sha: String) throws {
            let t0 = monotonicSeconds()
            try ChildProcess(sha, [path], output: .discard).wait()
            shaRuns.append(monotonicSeconds() - t0)
        }
        for pair in 0..<5 {
            if let sha, pair % 2 == 0 { try timeSha(sha) }
            coldRuns.append(try child(["bench-open", "--store", path, "--no-checkpoint"]))
            if let sha, pair % 2 == 1 { try timeSha(sha) }
        }
        let pairRatios = zip(coldRuns, shaRuns).map { $0.seconds / $1 }
        let shaSeconds = shaRuns.min()
        func vsSha(_ seconds: Double) -> String {
            shaSeconds.map { "\(format2(seconds / $0))x sha256sum" } ?? "no sha256sum to compare"
        }
        func runs(_ xs: [Double]) -> String { xs.map(format2).joined(separator: ", ") }
        if let shaSeconds { print("sha256sum LOG: \(format2(shaSeconds)) s (best of \(runs(shaRuns)))") }
        let cold = coldRuns.min { $0.seconds < $1.seconds }!, peakMB = coldRuns.map(\.peakMB).max()!
        let medianRatio = pairRatios.isEmpty ? "no sha256sum to compare"
            : "\(format2(pairRatios.sorted()[pairRatios.count / 2]))x sha256sum, the median of the pairs \(runs(pairRatios))"
        print("cold open (no checkpoint; CRC, parse, numbers): \(format2(cold.seconds)) s (best of \(runs(coldRuns.map(\.seconds)))), "
              + "\(medianRatio) (goal 0.5x), "
              + "\(format2(mb / cold.seconds)) MB/s, peak RSS \(format2(peakMB)) MB (\(format2(peakMB / mb * 100))% of the log, the most of the five), \(cold.count) events")
        if let jq = which("jq") {
            let t0 = monotonicSeconds()
            try ChildProcess(jq, ["-c", ".", path], output: .discard).wait()
            let jqSeconds = monotonicSeconds() - t0
            print("jq -c . LOG > /dev/null: \(format2(jqSeconds)) s; the cold open is \(format2(jqSeconds / cold.seconds))x faster")
        } else {
            print("jq not installed: no comparison")
        }
        // Behind a full replay the SHA-256 chain is checked on another core; the first write waits for it.
        let replayed = guarded { try Store.open(path: path, useCheckpoint: false) }
        if let chain = replayed.prefixCheckSeconds() {
            print("chain check behind a cold open (background, gates the first write): \(format2(chain)) s, \(vsSha(chain))")
        }
        let t1 = monotonicSeconds()
        let store = guarded { try Store.open(path: path) }
        try store.writeCheckpoint()
        print("checkpoint write: \(format2(monotonicSeconds() - t1)) s (includes a replay)")
        // verify opens the store (from the checkpoint now) to see who may run it, then checks everything.
        let tv = monotonicSeconds()
        try ChildProcess(thisExecutable(), ["verify", "--store", path], output: .discard).wait()
        let verifySeconds = monotonicSeconds() - tv
        print("verify (CRC, numbers, the whole chain): \(format2(verifySeconds)) s, \(vsSha(verifySeconds)) (goal 1.2x)")
        let warm = try child(["bench-open", "--store", path])
        print("open with checkpoint: \(format3(warm.seconds)) s (goal: < 0.25 s), peak RSS \(format2(warm.peakMB)) MB")
        // Behind a checkpoint start the prefix is still checked (CRC of every record) on another
        // core; the first write waits for it.
        let checked = guarded { try Store.open(path: path) }
        if let scan = checked.prefixCheckSeconds() {
            print("prefix CRC scan behind the checkpoint (background, gates the first write): \(format3(scan)) s, "
                  + "\(format2(mb / scan)) MB/s, \(vsSha(scan))")
        }

        // `checked` was opened from the checkpoint written above; `store` and `replayed` replayed the log.
        replayOfAmendments(replayed: replayed.state, checkpointed: checked.state)

        // Append latency: a realistic visit, fsynced, next to a bare fsynced write of the same bytes.
        let form = Forms.spec("visit")!
        let person = store.state.people.first?.id ?? "P-1"
        var appendTimes: [Double] = []
        var sample: [UInt8] = []
        for i in 0..<appends {
            let t = monotonicSeconds()
            let written = guarded {
                try store.append { state in
                    [try Forms.build(form, values: ["person": person, "mode": "home", "note": "基准测试走访记录 \(i)，老人身体状况良好"],
                                     state: state, context: Identity.context(actor: actor))]
                }
            }
            appendTimes.append(monotonicSeconds() - t)
            if sample.isEmpty { sample = Array(written[0].json.text.utf8) }
        }
        let barePath = workDir + "/bare.bin"
        let fd = open(barePath, O_RDWR | O_CREAT | O_TRUNC, 0o600)
        var bareTimes: [Double] = []
        var offset: off_t = 0
        for _ in 0..<appends {
            let t = monotonicSeconds()
            _ = sample.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, offset) }
            fsync(fd)
            bareTimes.append(monotonicSeconds() - t)
            offset += off_t(sample.count)
        }
        close(fd)
        unlink(barePath)
        let a = percentiles(appendTimes), b = percentiles(bareTimes)
        print("append (lock + catch-up + validate + write + fsync): median \(format3(a.median * 1000)) ms, p99 \(format3(a.p99 * 1000)) ms")
        print("bare pwrite + fsync of the same bytes:              median \(format3(b.median * 1000)) ms, p99 \(format3(b.p99 * 1000)) ms"
              + " (append/bare median ratio \(format2(a.median / b.median)))")
    }

    /// Any event type repeated N times must cost O(N): 20,000 amendments (each moving a person's
    /// latest visit a year earlier, which makes their last visit be found again among their own)
    /// against 20,000 new visits, each run applied to a state of its own, as a replay applies
    /// them. `replayed` is a state from a replay, which keeps the per-person index of visits as
    /// they are logged; `checkpointed` one from a checkpoint, which builds it at the first
    /// amendment that needs it, once.
    func replayOfAmendments(replayed base: State, checkpointed: State) {
        var latest: [Int32: Int] = [:]
        for (i, v) in base.visits.enumerated() where v.person >= 0 {
            if let j = latest[v.person], base.visits[j].day > v.day { continue }
            latest[v.person] = i
        }
        let targets = Array(latest.values.sorted().prefix(20_000))
        guard !targets.isEmpty else { return }
        var random = SystemRandomNumberGenerator()
        func visit(_ type: String, _ subject: String, person: Int32, day: Day) -> Event {
            Event(id: EventID(unixMillis: 1, random: (random.next(), random.next())), type: type, version: 2,
                  at: Timestamp(seconds: Int64(day.number) * 86400), actor: "bench", subject: subject,
                  body: .object([JSONField("person", .string(base.people[Int(person)].id)), JSONField("mode", .string("home")),
                                 JSONField("date", .string(day.iso))]))
        }
        let amendments = targets.map { i in visit("visit.amended", base.visits[i].id, person: base.visits[i].person,
                                                  day: base.visits[i].day.adding(days: -365)) }
        let additions = targets.enumerated().map { k, i in visit("visit.logged", "V-\(base.visits.count + k + 1)",
                                                                 person: base.visits[i].person, day: base.visits[i].day) }
        // The best of nine runs of each, amendments and new visits in turn so that both meet the
        // same moments of the machine: a run takes 10-40 ms here, at the mercy of whatever else it
        // is doing. Each starts from a copy of its state made whole before the clock starts
        // (`reserveForVisits`): the copy a shared state makes at its first change, 660,000 rows,
        // was most of either run, and a replay has no such copy to make.
        func once(_ events: [Event], on start: State) -> Double {
            var state = start
            state.reserveForVisits(events.count)
            let t0 = monotonicSeconds()
            for (k, e) in events.enumerated() { state.apply(e, offset: Int64(k)) }
            return monotonicSeconds() - t0
        }
        var amend = Double.infinity, add = Double.infinity, firstAfterCheckpoint = Double.infinity
        for run in 0..<9 {
            amend = min(amend, once(amendments, on: base))
            add = min(add, once(additions, on: base))
            if run % 3 == 0 { firstAfterCheckpoint = min(firstAfterCheckpoint, once(amendments, on: checkpointed)) }
        }
        print("replay of \(targets.count) visit amendments on \(base.visits.count) visits: \(format3(amend)) s; "
              + "of \(targets.count) new visits: \(format3(add)) s (amendments/new \(format2(amend / add)); goal ≤ 1.5). "
              + "The same amendments on a state from a checkpoint, whose per-person index is built at the first: "
              + "\(format3(firstAfterCheckpoint)) s (\(format2(firstAfterCheckpoint / add))x the new visits)")
    }

    /// How cost grows with the log: cold open, checkpoint open, peak memory and checkpoint size at
    /// each size, and each per million events (flat per-million figures mean linear growth).
    func growthTable(sizes: [Int], in dir: String, actor: String) throws {
        print("events     log MB   cold open s  (per M)   peak MB (% log)   checkpoint open s  peak MB   checkpoint MB")
        for n in sizes {
            let path = dir + "/growth-\(n).log"
            if !FileManager.default.fileExists(atPath: path) {
                _ = guarded { try DemoFill.run(path: path, station: "弹子石街道社工站", actor: actor, events: n, seed: 42) }
            } else {
                guarded { try Store.open(path: path).writeCheckpoint() }
            }
            func megabytes(_ p: String) -> Double {
                ((try? FileManager.default.attributesOfItem(atPath: p)[.size] as? NSNumber)?.doubleValue ?? 0) / 1_000_000
            }
            let logMB = megabytes(path), checkpointMB = megabytes(path + ".checkpoint")
            let cold = try child(["bench-open", "--store", path, "--no-checkpoint"])
            let warm = try child(["bench-open", "--store", path])
            let perMillion = cold.seconds / Double(cold.count) * 1_000_000
            print(TextWidth.pad(String(cold.count), to: 10) + " " + TextWidth.pad(format2(logMB), to: 8, alignRight: true)
                  + " " + TextWidth.pad(format3(cold.seconds), to: 12, alignRight: true) + " " + TextWidth.pad(format3(perMillion), to: 9, alignRight: true)
                  + " " + TextWidth.pad("\(format2(cold.peakMB)) (\(Int(cold.peakMB / logMB * 100))%)", to: 17, alignRight: true)
                  + " " + TextWidth.pad(format3(warm.seconds), to: 18, alignRight: true) + " " + TextWidth.pad(format2(warm.peakMB), to: 9, alignRight: true)
                  + " " + TextWidth.pad(format2(checkpointMB), to: 15, alignRight: true))
        }
    }

    struct Measured { var seconds: Double; var peakMB: Double; var count: Int }

    /// Runs a measurement in a fresh process so its peak memory is its own.
    func child(_ args: [String]) throws -> Measured {
        let output = try ChildProcess.run(thisExecutable(), args).stdout
        let parts = output.split(separator: " ").map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) }
        guard parts.count == 3, let s = Double(parts[0]), let kb = Double(parts[1]), let n = Int(parts[2]) else {
            throw ValidationError("bench child failed: \(output)")
        }
        return Measured(seconds: s, peakMB: kb / 1000, count: n)
    }

    func which(_ name: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    func percentiles(_ xs: [Double]) -> (median: Double, p99: Double) {
        let s = xs.sorted()
        guard !s.isEmpty else { return (0, 0) }
        return (s[s.count / 2], s[min(s.count - 1, Int(Double(s.count) * 0.99))])
    }
}

func format3(_ x: Double) -> String { String((x * 1000).rounded() / 1000) }

/// This program's path, for the benchmarks that measure it in child processes.
func thisExecutable() -> String {
    CommandLine.arguments[0].hasPrefix("/") ? CommandLine.arguments[0]
        : FileManager.default.currentDirectoryPath + "/" + CommandLine.arguments[0]
}

/// This process's peak resident memory in kB. VmHWM, not ru_maxrss: the latter carries over the
/// parent's size across fork and exec.
func peakResidentKB() -> Int {
    let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    return status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") }?
        .split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.flatMap { Int($0) } ?? 0
}

/// Opens a store and prints "seconds peakRSS_kB events" (used by `bench` in a child process).
struct BenchOpen: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench-open", shouldDisplay: false)
    @OptionGroup var options: StoreOption
    @Flag var noCheckpoint = false
    @Flag var verbose = false
    @Flag(help: "Only read and decode every record (CRC-32C and JSON), applying nothing: the replay's decode side.") var decodeOnly = false
    @Flag(help: "With --decode-only, also check the SHA-256 chain.") var chain = false
    @Flag(help: "Decode every record first, then time applying them on one core: the replay's apply side.") var applyOnly = false
    func run() throws {
        Privilege.refuseWhenElevated("benchmarks")
        let path = try options.path()
        if applyOnly {
            let log = guarded { try LogFile.open(path: path, wantWrite: false) }
            var records: [(Record, Int64)] = []
            _ = guarded { try log.scan(from: .start, checkChain: false, forProjection: true) { r, offset in records.append((r, offset)) } }
            var state = State()
            let t0 = monotonicSeconds()
            for (r, offset) in records { state.apply(r, offset: offset) }
            print("\(monotonicSeconds() - t0) 0 \(state.eventCount)")
            return
        }
        if decodeOnly {
            let log = guarded { try LogFile.open(path: path, wantWrite: false) }
            let t0 = monotonicSeconds()
            var n = 0
            _ = guarded { try log.scan(from: .start, checkChain: chain, forProjection: true) { _, _ in n += 1 } }
            print("\(monotonicSeconds() - t0) 0 \(n)")
            return
        }
        let t0 = monotonicSeconds()
        let store = guarded { try Store.open(path: path, wantWrite: false, useCheckpoint: !noCheckpoint) }
        let seconds = monotonicSeconds() - t0
        print("\(seconds) \(peakResidentKB()) \(store.state.eventCount)")
        if verbose, let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) {
            let pages = Int(statm.split(separator: " ")[1]) ?? 0
            FileHandleOutput.stderr("resident after open: \(pages * 4096 / 1_000_000) MB\n")
        }
    }
}

/// Appends `count` visits one at a time, each its own locked, fsynced append (for the
/// concurrency test and for measuring contention).
struct BenchAppend: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench-append", shouldDisplay: false)
    @OptionGroup var options: StoreOption
    @Option var count = 500
    @Option var person = "P-1"
    func run() throws {
        Privilege.refuseWhenElevated("benchmarks")
        let path = try options.path()
        let actor = try options.actor()
        let store = guarded { try Store.open(path: path) }
        let form = Forms.spec("visit")!
        for i in 0..<count {
            guarded {
                try store.append { state in
                    [try Forms.build(form, values: ["person": person, "mode": "phone", "note": "进程 \(getpid()) 第 \(i) 次"],
                                     state: state, context: Identity.context(actor: actor))]
                }
            }
        }
        print("appended \(count)")
    }
}
