import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import ShegongApp
import ShegongDomain
import ShegongStore
import ShegongTerminal

struct Add: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Add a record: shegong add <kind> --store PATH --field value ...",
        discussion: "A line of text holds at most \(FieldSpec.lineLimit) characters, a long text field "
            + "(notes, assessments) \(FieldSpec.longTextLimit).\nKinds and their fields:\n" + Forms.all.map { form in
            // A required date defaults to today, so it need not be given.
            "  \(form.name) (\(form.zh)): " + form.fields.map { f in
                let required = f.required && !(f.key == "date" && f.kind == .date)
                return (required ? "--" : "[--") + f.key + (required ? "" : "]")
            }
                .joined(separator: " ")
        }.joined(separator: "\n"))
    @OptionGroup var options: StoreOption
    @Argument(help: "What to add, e.g. person, visit, case, service, approve, hours.") var kind: String
    @Argument(parsing: .allUnrecognized, help: "--field value pairs") var fields: [String] = []

    func run() throws {
        guard let form = Forms.spec(kind) else {
            fail("unknown kind \"\(kind)\"; one of: " + Forms.all.map(\.name).joined(separator: ", "))
        }
        var values: [String: String] = [:]
        var i = 0
        while i < fields.count {
            let arg = fields[i]
            guard arg.hasPrefix("--") else { fail("expected --field value, got \"\(arg)\"") }
            let key = String(arg.dropFirst(2))
            if let eq = key.firstIndex(of: "=") {
                values[String(key[..<eq])] = String(key[key.index(after: eq)...])
                i += 1
            } else {
                guard i + 1 < fields.count else { fail("--\(key) needs a value") }
                values[key] = fields[i + 1]
                i += 2
            }
        }
        let path = try options.path()
        let actor = try options.actor()
        let store = guarded { try Store.open(path: path) }
        // Off the roster, nothing is looked up: "unknown person" vs "not allowed" would tell
        // which records exist. (A new store's first staff and sites are added by root.)
        let viewer = requireViewerOrRoot(store, actor)
        if form.name == "person" { warnAboutDuplicates(values, in: store.state, viewer: viewer) }
        let written = guarded {
            try store.append { state in try Forms.buildAll(form, values: values, state: state, context: Identity.context(actor: actor)) }
        }
        for e in written { print("\(e.subject)\t\(e.type)\t\(e.id)") }
    }
}

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "The figures a station reports (统计), with their definitions.")
    @OptionGroup var options: StoreOption
    @Option(help: "First day (default: first of this month).") var from: String?
    @Option(help: "Last day (default: today).") var to: String?
    @Option(help: "A site id or name; figures roll up over the sites below it.") var site: String?
    @Option(help: "table, csv or json") var format = "table"
    @Option(help: "zh or en") var lang: String?
    @Flag(help: "Start the CSV with a UTF-8 byte order mark (for spreadsheet programs that guess the encoding).") var bom = false

    @Flag(help: "With a district's database: each station's figures too.") var byStation = false

    func run() throws {
        let today = Identity.context(actor: "").today
        guard let toDay = to.map({ DateInput.parse($0, today: today) }) ?? today else { fail("bad --to date: \(to ?? "")") }
        guard let fromDay = from.map({ DateInput.parse($0, today: today) }) ?? toDay.firstOfMonth else {
            fail("bad --from date: \(from ?? "")")
        }
        if fromDay > toDay { fail("--from \(fromDay) is after --to \(toDay)") }
        let chinese = Language.resolve(lang) == .zh
        if let url = options.districtURL {
            return DistrictReporting(url: url, from: fromDay, to: toDay, site: site, format: format, chinese: chinese,
                                     byStation: byStation, bom: bom).run()
        }
        let path = try options.path()
        let store = guarded { try Store.open(path: path, wantWrite: false) }
        _ = requireViewer(store, try options.actor())  // aggregates only: every role may report
        var siteID: String?
        if let site {
            guard let s = store.state.site(site) ?? store.state.sites.first(where: { $0.name == site }) else {
                fail("unknown site: \(site)")
            }
            siteID = s.id
        }
        let report = ShegongDomain.Report(state: store.state, from: fromDay, to: toDay, site: siteID)
        let siteName = siteID.flatMap { store.state.site($0)?.name } ?? store.state.station
        printReport(report, siteName: siteName, format: format, chinese: chinese, bom: bom)
    }
}

/// A report as the CLI prints it: a table with the definitions, CSV or JSON.
func printReport(_ report: ShegongDomain.Report, siteName: String, format: String, chinese: Bool, bom: Bool, definitions: Bool = true) {
    switch format {
    case "json": print(report.json.text)
    case "csv":
        FileHandleOutput.stdout(ShegongDomain.Report.csv(report, siteName: siteName, chinese: chinese, byteOrderMark: bom))
    case "table":
        print("\(SafeText.terminal(siteName))  \(report.from) — \(report.to)")
        let width = report.shownDefinitions.map { TextWidth.of(chinese ? $0.zh : $0.en) }.max() ?? 10
        for d in report.shownDefinitions {
            let label = chinese ? d.zh : d.en
            print(TextWidth.pad(label, to: width) + "  " + TextWidth.pad(report.formatted(d.key), to: 10, alignRight: true))
        }
        print("")
        guard definitions else { return }
        print(chinese ? "口径说明:" : "Definitions:")
        for d in report.shownDefinitions { print("  \(chinese ? d.zh : d.en): \(chinese ? d.defZh : d.defEn)") }
    default: fail("--format must be table, csv or json")
    }
}


struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print events (jsonl) or records (csv). Sensitive fields are masked.")
    @OptionGroup var options: StoreOption
    @Option(help: "jsonl, csv, table (aligned for a terminal), or log (the records as stored, for `shegong sync` over ssh)") var format = "jsonl"
    @Option(help: "events, people, visits, cases, groups, volunteers, staff, access, organisations, talent, wishes, or wish-cards (for donors: no personal data)")
    var kind = "events"

    func run() throws {
        let path = try options.path()
        let store = guarded { try Store.open(path: path, wantWrite: false, useCheckpoint: kind != "events") }
        let viewer = requireViewer(store, try options.actor())
        let exporter = Exporter(store: store, viewer: viewer, today: Identity.context(actor: "").today)
        switch (format, kind) {
        case ("jsonl", "events"):
            guard Policy.mayHandleRawEvents(viewer) else {
                fail("exporting raw events (every field of every record) is for the station admin; export --kind people|visits|... instead")
            }
            guarded { try exporter.events { FileHandleOutput.stdout($0) } }
        case ("log", _):
            guard Policy.mayHandleRawEvents(viewer) else { fail("the records of a whole store are for its station admin") }
            guarded { try exporter.rawLog { bytes in bytes.withUnsafeBytes { FileHandleOutput.writeAll(1, $0) } } }
        case ("jsonl", _), ("csv", _), ("table", _):
            guard let table = exporter.table(kind) else { fail("unknown --kind \(kind)") }
            switch format {
            case "csv": FileHandleOutput.stdout(table.csv)
            case "table": printTable([table.columns] + table.rows)
            default: FileHandleOutput.stdout(table.jsonl)
            }
        default: fail("--format must be jsonl, csv or table")
        }
    }
}

/// A new person who may be registered already is saved, but never silently: the matches the
/// account may see are named on standard error.
func warnAboutDuplicates(_ values: [String: String], in state: State, viewer: Viewer?) {
    let idNumber = values["idno"] ?? ""
    let birth = values["birth"].flatMap { DateInput.parse($0, today: Identity.context(actor: "").today) } ?? ResidentID.parse(idNumber)?.birth
    let found = state.possibleDuplicates(name: values["name"] ?? "", birth: birth, idNumber: idNumber)
    guard !found.isEmpty else { return }
    let shown = found.filter { p in viewer.map { Policy.person(p, for: $0, in: state) >= .summary } ?? true }
    let names = shown.map { "\($0.id) \(SafeText.terminal($0.name))" }.joined(separator: ", ")
    let hidden = found.count - shown.count
    FileHandleOutput.stderr(cliSpeaksChinese
        ? "注意: 可能重复登记,已有 \(names)\(hidden > 0 ? "(另有 \(hidden) 位在你的权限之外)" : "")\n"
        : "warning: possibly registered already: \(names)\(hidden > 0 ? " (and \(hidden) you may not see)" : "")\n")
}

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Append events from a JSON-lines file (as export writes it). Idempotent by event id; all or nothing.",
        discussion: "The events keep their original authors; an import.batch event records who imported them and the file's "
            + "SHA-256. An id already in the log with other content, invalid UTF-8 or a line over 1 MiB stops the import, "
            + "naming the line; nothing is written then.")
    @OptionGroup var options: StoreOption
    @Argument(help: "The file to import.") var file: String

    func run() throws {
        let path = try options.path()
        let actor = try options.actor()
        let (events, lines, fileHash) = readEvents()
        // Importing into a path with no store creates it: the imported events bring the station.
        let store: Store = guarded {
            do { return try Store.open(path: path) } catch StoreError.notFound {
                Privilege.requireMayCreateStore(path)
                return try Store.createEmpty(path: path)
            }
        }
        if store.position.count > 0, !Policy.mayHandleRawEvents(requireViewer(store, actor)) {
            fail("importing events into a station's store is for the station admin")
        }
        let fresh = newEvents(events, lines: lines, in: store)
        guard !fresh.isEmpty else {
            print("nothing new: all \(events.count) events are already in the log")
            return
        }
        let batch = Identity.context(actor: actor).event("import.batch", body: .object([
            JSONField("file_sha256", .string(fileHash)), JSONField("count", .int(fresh.count)),
            JSONField("first", .string(fresh.first!.id.description)), JSONField("last", .string(fresh.last!.id.description)),
        ]))
        let before = store.position.count
        let written = guarded { try store.append { _ in [batch] + fresh } }
        print("imported \(written.count - 1) events (\(events.count - fresh.count) already present) as \(actor); "
              + "log now \(before + written.count) records")
    }

    /// Reads and decodes the file, which is the caller's: opened with the group privilege put
    /// down, as a regular file. Returns the events, their line numbers and the file's SHA-256.
    func readEvents() -> ([Event], [Int], String) {
        let fd: Int32 = guarded { try GroupPrivilege.droppedWhile { try SafeFile.openRegular(file, flags: O_RDONLY) } }
        guard let fp = fdopen(fd, "r") else { fail("\(file): \(String(cString: strerror(errno)))") }
        defer { fclose(fp) }
        var events: [Event] = []
        var numbers: [Int] = []
        var seen: [EventID: Int] = [:]
        var all: [UInt8] = []
        var lineNumber = 0
        var linePtr: UnsafeMutablePointer<CChar>?
        var cap = 0
        defer { free(linePtr) }
        while true {
            let n = getline(&linePtr, &cap, fp)
            if n < 0 { break }
            lineNumber += 1
            let bytes = Array(UnsafeRawBufferPointer(start: linePtr, count: n))
            all.append(contentsOf: bytes)
            let trimmed = bytes.trimmingNewline
            if trimmed.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            func refuse(_ why: String) -> Never { fail("\(file) line \(lineNumber): \(why); nothing was imported") }
            if trimmed.count > RecordCodec.maxRecordBytes { refuse("\(trimmed.count) bytes, over the 1 MiB limit for one record") }
            guard String(validating: trimmed, as: UTF8.self) != nil else { refuse("not valid UTF-8") }
            let event: Event
            do { event = try Event(json: try JSON.parse(trimmed)) } catch { refuse("\(error)") }
            if let earlier = seen[event.id] {
                if events[earlier] != event { refuse("event \(event.id) appears again (line \(numbers[earlier])) with other content") }
                continue
            }
            seen[event.id] = events.count
            events.append(event)
            numbers.append(lineNumber)
        }
        return (events, numbers, all.withUnsafeBytes { ChainHash.of($0) }.hex)
    }

    /// The events whose ids the log does not hold yet. An id it holds must carry the very same
    /// event: different content under a known id is refused, naming the line, never skipped.
    func newEvents(_ events: [Event], lines: [Int], in store: Store) -> [Event] {
        var byID = Dictionary(uniqueKeysWithValues: events.enumerated().map { ($1.id, $0) })
        var present = Set<Int>()
        guarded {
            _ = try store.log.scan(from: .start, checkChain: false) { record, _ in
                guard let i = byID[record.event.id] else { return }
                if record.event != events[i] {
                    fail("\(file) line \(lines[i]): event \(record.event.id) is already in the log (record \(record.number)) "
                         + "with other content; nothing was imported")
                }
                present.insert(i)
                byID[record.event.id] = nil
            }
        }
        return events.enumerated().filter { !present.contains($0.offset) }.map(\.element)
    }
}

extension Array where Element == UInt8 {
    var trimmingNewline: [UInt8] {
        var a = self
        while let l = a.last, l == 0x0A || l == 0x0D { a.removeLast() }
        return a
    }
}

struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Fill a store with realistic, deterministic station life.")
    @OptionGroup var options: StoreOption
    @Option(help: "How many events to append.") var events = 2000
    @Option(help: "Random seed: the same seed gives the same station.") var seed: UInt64 = 1
    @Option(help: "Station name when the store is created.") var station = "弹子石街道社工站"
    @Option(help: "The store's origin when it is created (default: the station's name).") var origin: String?
    @Flag(help: "Also a year of the station as a hub: funds, projects, organisations, talent, trainings and wishes (once per store).") var hub = false

    func run() throws {
        let path = try options.path()
        let actor = try options.actor()
        // Demo records are attributed to many accounts: never through the setgid boundary but by root.
        if Privilege.elevated && getuid() != 0 { fail("demo records are generated by root only (sudo shegong demo ...)") }
        if let origin, !Origin.isValidName(origin) { fail("an origin is a short name without '/' or control characters: \(origin)") }
        let start = monotonicSeconds()
        let written = guarded { try DemoFill.run(path: path, station: station, origin: origin, actor: actor, events: events, seed: seed, hub: hub) }
        let seconds = monotonicSeconds() - start
        print("appended \(written) demo events to \(path) in \(String(format2(seconds))) s")
    }
}

func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

func format2(_ x: Double) -> String { String((x * 100).rounded() / 100) }

struct CertificateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "certificate",
                                                    abstract: "Print a volunteer's certificate of service (志愿服务证明).")
    @OptionGroup var options: StoreOption
    @Option(help: "The volunteer, e.g. VOL-3.") var volunteer: String

    func run() throws {
        let store = guarded { try Store.open(path: try options.path(), wantWrite: false) }
        let actor = try options.actor()
        let viewer = requireViewer(store, actor)
        guard Policy.mayIssueCertificate(viewer) else { fail("certificates are issued by the volunteer coordinator or the station admin") }
        guard let text = Certificate.text(volunteer: volunteer, state: store.state, issuer: store.state.staffName(actor),
                                          today: Identity.context(actor: actor).today) else { fail("unknown volunteer: \(volunteer)") }
        FileHandleOutput.stdout(SafeText.terminal(text, keepLineBreaks: true))
    }
}
