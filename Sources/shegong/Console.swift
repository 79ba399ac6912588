import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import ShegongApp
import ShegongDomain
import ShegongStore
import ShegongTerminal

struct Console: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "console", abstract: "Open the console (the default command).")
    @OptionGroup var options: StoreOption
    @Flag(help: "Use (and create on first run) a demo store at ./demo/station.log.") var demo = false
    @Option(help: "Theme name from themes/ (default, light, high-contrast, mono).") var theme = "default"
    @Option(help: "zh or en (default: from LANG).") var lang: String?

    func run() throws {
        if let url = options.districtURL {
            guard isatty(0) == 1, isatty(1) == 1 else { fail("the console needs a terminal; for scripts use shegong report --store URL") }
            let (loadedTheme, _) = ThemeLoader.load(name: theme, directories: themeDirectories())
            let code = DistrictConsoleRunner.run(url: url, strings: Strings(Language.resolve(lang)),
                                                 theme: loadedTheme)
            if code != 0 { throw ExitCode(code) }
            return
        }
        let path: String
        if demo {
            Privilege.refuseWhenElevated("the demo console")
            mkdir("demo", 0o700)
            path = "demo/station.log"
            if access(path, F_OK) != 0 {
                FileHandleOutput.stderr("creating a demo store at \(path)…\n")
                _ = guarded { try DemoFill.run(path: path, station: "弹子石街道社工站", actor: try options.actor(), events: 20_000, seed: 1, hub: true) }
            }
        } else {
            path = try options.path()
        }
        let actor = try options.actor()
        // Without a terminal (`ssh host shegong` without -t, a pipe, a cron job) there is nothing
        // to draw on and no keys to read: say so instead of spinning on end of input.
        guard isatty(0) == 1, isatty(1) == 1 else {
            fail("the console needs a terminal (use `ssh -t` over SSH); for scripts use the subcommands: shegong --help")
        }
        let trace = getenv("SHEGONG_TRACE") != nil
        let t0 = monotonicSeconds()
        func mark(_ what: String) { if trace { FileHandleOutput.stderr("\(what): \(format3(monotonicSeconds() - t0)) s\n") } }
        let store = guarded { try Store.open(path: path) }
        mark("store open")
        let strings = Strings(Language.resolve(lang))
        guard Policy.viewer(actor, in: store.state) != nil else {
            fail(strings.chinese ? "账号 \(actor) 不在本站工作人员名单中,无法查看数据;请联系站长添加 (shegong add staff)"
                 : "account \(actor) is not on this station's staff roster and may see nothing; ask the station admin to add it (shegong add staff)")
        }
        let (loadedTheme, themeError) = ThemeLoader.load(name: theme, directories: themeDirectories())
        mark("theme")
        let backend = NCursesBackend(forceMono: ColorDepth.noColorRequested)
        mark("terminal")
        let console = ShegongApp.Console(store: store, strings: strings, actor: actor, today: Identity.context(actor: actor).today,
                                         drafts: DraftStore.forStore(path), views: ViewStore.forStore(path), makeContext: { Identity.context(actor: actor) })
        if let themeError { console.setStatus("\(strings[.themeProblem]): \(themeError)", role: .warning) }
        if !backend.localeWasUTF8 { console.setStatus(strings[.localeNotUTF8], role: .warning) }
        if trace {
            console.deferMonthFigures = true
            let g = console.render(width: backend.size.width, height: backend.size.height)
            mark("first render (\(g.width)x\(g.height))")
        }
        let code = ConsoleRunner.run(console: console, backend: backend, theme: loadedTheme.resolve(depth: backend.colorDepth),
                                     pendingSignal: { backend.pendingSignal() }, clock: monotonicSeconds,
                                     watcher: LogWatcher.make(path: store.path),
                                     onFirstFrame: { if let file = getenv("SHEGONG_FIRST_FRAME_FILE") { writeSinceStart(to: String(cString: file)) } },
                                     onLiveFrame: { if let file = getenv("SHEGONG_LIVE_FRAME_FILE") { appendWallClock(to: String(cString: file)) } })
        // A clean quit refreshes the checkpoint when the next start would otherwise replay more
        // than a few thousand records (tens of milliseconds); writing a large one takes a second
        // or more, so it is not done on every quit. A signal exits at once.
        if code == 0, store.readOnlyReason == nil, store.recordsPastCheckpoint > 5000 { try? store.writeCheckpoint() }
        if code != 0 { throw ExitCode(code) }
    }

    /// themes/ next to the binary's package, the working directory, or SHEGONG_THEMES; when
    /// setgid, only the installed directory (a theme file's contents are echoed in error messages).
    func themeDirectories() -> [String] {
        if Privilege.elevated { return ["/usr/local/share/shegong/themes"] }
        var dirs: [String] = []
        if let env = getenv("SHEGONG_THEMES") { dirs.append(String(cString: env)) }
        dirs.append("themes")
        var exe = CommandLine.arguments[0]
        for _ in 0..<4 {
            guard let slash = exe.lastIndex(of: "/") else { break }
            exe = String(exe[..<slash])
            dirs.append(exe + "/themes")
        }
        dirs.append("/usr/local/share/shegong/themes")
        return dirs
    }
}

/// Seconds since this process was started (exec), from /proc: for the first-frame benchmark.
/// For bench-console: the wall-clock time a frame with a colleague's records was drawn, so another
/// process can compare it with when its append was acknowledged.
func appendWallClock(to file: String) {
    // Never under the setgid group (sanitise already unsets the variable): a path the caller names.
    guard !Privilege.elevated else { return }
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    guard let f = fopen(file, "a") else { return }
    fputs("\(Double(now.tv_sec) + Double(now.tv_nsec) / 1e9)\n", f)
    fclose(f)
}

func writeSinceStart(to file: String) {
    guard !Privilege.elevated else { return }  // as above: a caller's path, never written setgid
    guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
          let close = stat.lastIndex(of: ")") else { return }
    let fields = stat[stat.index(after: close)...].split(separator: " ")
    guard fields.count > 19, let ticks = Double(fields[19]) else { return }
    var now = timespec()
    clock_gettime(CLOCK_BOOTTIME, &now)
    let since = Double(now.tv_sec) + Double(now.tv_nsec) / 1e9 - ticks / Double(sysconf(Int32(_SC_CLK_TCK)))
    try? "\(since)\n".write(toFile: file, atomically: true, encoding: .utf8)
}
