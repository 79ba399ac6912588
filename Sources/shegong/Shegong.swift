import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import ShegongApp
import ShegongDomain
import ShegongStore
import ShegongTerminal

@main
struct Shegong: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shegong",
        abstract: "社工站个案管理终端 · Shegong, a case-management console for social work stations.",
        subcommands: [Console.self, Init.self, Add.self, Report.self, StatementCommand.self, Export.self, Import.self, SyncCommand.self, CertificateCommand.self, Demo.self,
                      Verify.self, Repair.self, CheckpointCommand.self, InstallSystem.self, Bench.self, BenchConsole.self, BenchOpen.self, BenchAppend.self, BenchDistrict.self, BenchDistrictReport.self],
        defaultSubcommand: Console.self)

    static func main() {
        Privilege.sanitise()
        // Tables on the command line are aligned by display width too (CJK is two cells).
        TextWidth.prepareLocale()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            exit(withError: error)
        }
    }
}

/// `--store PATH`, falling back to SHEGONG_STORE.
struct StoreOption: ParsableArguments {
    @Option(name: .long, help: "The store's log file (default: $SHEGONG_STORE).")
    var store: String?

    @Option(name: .customLong("as"), help: .hidden)
    var actingAs: String?

    /// The store to open; when setgid, only inside a recorded data directory (see `Privilege`).
    func path() throws -> String {
        if let url = districtURL {
            throw ValidationError("\(SafeText.terminal(url)) is a district's database, which holds figures, not records: "
                                  + "use `shegong report --store URL` (or `shegong console --store URL`)")
        }
        if let store, !store.isEmpty { return Privilege.storePath(store) }
        if let env = getenv("SHEGONG_STORE"), let s = String(validatingCString: env), !s.isEmpty { return Privilege.storePath(s) }
        throw ValidationError("no store given: use --store PATH or set SHEGONG_STORE")
    }

    func actor() throws -> String { try Identity.actor(requested: actingAs) }

    /// A district's database given as the store (postgresql://…), if it is one.
    var districtURL: String? {
        let given = store ?? getenv("SHEGONG_STORE").flatMap { String(validatingCString: $0) } ?? ""
        return given.hasPrefix("postgresql://") || given.hasPrefix("postgres://") ? given : nil
    }
}

/// Prints a message to stderr and exits non-zero: every failure a user can cause ends here.
func fail(_ message: String, code: Int32 = 1) -> Never {
    // Messages echo what the caller typed or a record holds: escaped for the terminal.
    FileHandleOutput.stderr("shegong: \(SafeText.terminal(message, keepLineBreaks: true))\n")
    exit(code)
}

enum FileHandleOutput {
    static func stderr(_ text: String) {
        var t = text
        t.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    }
    static func stdout(_ text: String) {
        var t = text
        t.withUTF8 { writeAll(1, UnsafeRawBufferPointer($0)) }
    }

    static func writeAll(_ fd: Int32, _ buf: UnsafeRawBufferPointer) {
        var done = 0
        while done < buf.count {
            let n = write(fd, buf.baseAddress! + done, buf.count - done)
            if n < 0, errno == EINTR { continue }
            if n <= 0 { break }
            done += n
        }
    }
}

/// The viewer for `actor`, or a clear refusal: an account not on the roster sees nothing.
func requireViewer(_ store: Store, _ actor: String) -> Viewer {
    guard let viewer = Policy.viewer(actor, in: store.state) else {
        fail("account \(actor) is not on this station's staff roster and may see nothing; ask the station admin to add it "
             + "(shegong add staff --account \(actor) ...)")
    }
    return viewer
}

/// The viewer for `actor`, or root acting on a store whose roster is empty or cannot be read.
func requireViewerOrRoot(_ store: Store, _ actor: String) -> Viewer? {
    if store.state.staff.isEmpty, Identity.isRoot { return nil }
    return requireViewer(store, actor)
}

/// Whether the command line answers in Chinese: when the locale says so (zh_CN.UTF-8 and the
/// like). The untranslated C locale gets English, as scripts expect.
let cliSpeaksChinese: Bool = {
    for name in ["LC_ALL", "LC_MESSAGES", "LANG"] {
        if let v = getenv(name).map({ String(cString: $0) }), !v.isEmpty { return v.lowercased().hasPrefix("zh") }
    }
    return false
}()

/// Runs `body`, turning any store or domain error into a one-line message and exit status 1.
@discardableResult
func guarded<T>(_ body: () throws -> T) -> T {
    do { return try body() } catch let e as StoreError {
        fail(e.description)
    } catch let e as DomainError {
        fail(e.text(chinese: cliSpeaksChinese))
    } catch let e as ValidationError {
        fail(e.message)
    } catch {
        fail("\(error)")
    }
}
