import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import ShegongApp
import ShegongDistrict
import ShegongDomain
import ShegongProcess
import ShegongStore

struct SyncCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Bring another store's records into this one (--from PATH or ssh://HOST/PATH), or ship this store's to a district (--to postgresql://...).",
        discussion: "Every record keeps its origin, its number there and its chain hash; a record whose chain does not "
            + "verify stops the sync, naming its origin and number, and nothing is written. A record another origin "
            + "changed while this store changed it too (or that this store's rules refuse) is kept but held: it is "
            + "listed, not applied. Re-running a sync brings nothing twice. Reading a whole store is for its station "
            + "admin; the records arrive under this store's rules. "
            + "With --to, the store's new records (the chain, and the dates, sites and tiers the district's figures need: "
            + "never a name, an address or a note) go to the district's PostgreSQL database, in batches that each commit whole; "
            + "safe to run from cron every minute.")
    @OptionGroup var options: StoreOption
    @Option(help: "The store to read: a path, or ssh://HOST/PATH (read by the shegong on that host, through ssh).")
    var from: String?
    @Option(help: "The district's database: postgresql://USER@HOST[:PORT]/DATABASE (libpq's URI; a password from ~/.pgpass).")
    var to: String?
    @Option(help: "Records per transaction when shipping to a district.") var batch = 20_000
    @Option(help: "Create --store first, when it does not exist, as a new origin of this name (a worker's laptop, a new community room).")
    var origin: String?
    @Option(help: "The shegong program on the remote host.") var remoteShegong = "shegong"
    @Option(help: ArgumentHelp("Station admin only: also apply records written as these accounts (comma-separated, or all). "
            + "Without it, only records written as the account running the sync are applied; the rest are held."))
    var vouch: String?

    func run() throws {
        let path = try options.path()
        let actor = try options.actor()
        let context = Identity.context(actor: actor)
        guard (from == nil) != (to == nil) else { throw ValidationError("give one of --from (pull a store here) or --to (ship to a district)") }
        if let to { return ship(path: path, actor: actor, url: to) }
        let source = SyncSource.open(from!, remoteShegong: remoteShegong)
        // Opened, or (with --origin) made below; never a check before the open: under setgid,
        // access() answers for the caller, who may not see into the data directory at all.
        let existing: Store? = guarded {
            do { return try Store.open(path: path) } catch StoreError.notFound where origin != nil { return nil }
        }
        // Who may pull a whole store into another (Policy.mayPull); over ssh the remote decided.
        if let sourceState = source.state, !(sourceState.staff.isEmpty && Identity.isRoot) {
            guard Policy.mayPull(reader: Policy.viewer(actor, in: sourceState), writer: existing.flatMap { Policy.viewer(actor, in: $0.state) },
                                 protected: source.protected) else {
                fail("pulling every record of \(from!) is for its station admin, or for someone with the same role in both stores")
            }
        }
        let store: Store
        var trust = Vouch.accounts([actor])
        var introducing = false
        if let existing {
            store = existing
            // The station admin meets new origins, and vouches for records by name only (`--vouch`):
            // a file brought to the admin may hold anything written in the admin's name.
            if let viewer = Policy.viewer(actor, in: existing.state), Policy.mayHandleRawEvents(viewer) {
                introducing = true
                trust = .accounts([])
            }
        } else {
            guard let origin, Origin.isValidName(origin) else { fail("an origin is a short name without '/' or control characters: \(origin ?? "")") }
            Privilege.requireMayCreateStore(path)
            store = guarded { try Store.createForSync(path: path, origin: origin, station: origin, context: context) }
            trust = .all  // a store made from the source is a copy of it, made by the source's admin
            introducing = true
        }
        if let vouch {
            guard let viewer = Policy.viewer(actor, in: store.state), Policy.mayHandleRawEvents(viewer) else {
                fail("only this store's station admin may vouch for records written by others")
            }
            let accounts = Set(vouch.split(separator: ",").map { String($0.trimmingCharacters(in: .whitespaces)) }.filter { !$0.isEmpty })
            trust = vouch == "all" ? .all : .accounts(accounts)
        }
        let summary: SyncSummary = guarded {
            do { return try Sync.pull(from: source.log, into: store, context: context, vouch: trust, introducing: introducing) } catch let e as SyncError {
                fail(e.description, code: 2)
            }
        }
        if summary.ownMissing > 0 {
            FileHandleOutput.stderr("warning: \(summary.ownMissing) of this store's own records are in the source but not here "
                                    + "(was this store restored from an older copy?); a sync does not bring them back\n")
        }
        let name = "\(SafeText.terminal(summary.sourceStation)) (origin \(SafeText.terminal(summary.sourceOrigin)))"
        if summary.added == 0 {
            print("nothing new: all \(summary.read) records of \(name) are already here")
            return
        }
        print("synced from \(name): \(summary.read) records read, \(summary.added) new, \(summary.alreadyHere) already here")
        guard !summary.held.isEmpty else { return }
        print("held, not applied (\(summary.held.count)); re-enter any that should stand:")
        for event in summary.held {
            let stamp = event.origin!
            let theirs = event.localized(home: store.state.origin)
            print("  \(SafeText.terminal(stamp.origin)) #\(stamp.number) \(SafeText.terminal(event.type)) \(SafeText.terminal(theirs.subject)) "
                  + "by \(SafeText.terminal(event.actor)) at \(event.at.iso): \(SafeText.terminal(stamp.held ?? ""))")
            // Where both changed the same record, each field they disagree on, side by side, for
            // who may read the record in full.
            guard let viewer = Policy.viewer(actor, in: store.state),
                  Policy.mayCompareVersions(of: theirs.subject, for: viewer, in: store.state),
                  let offset = store.state.lastChangeOffset(theirs.subject), let ours = try? store.record(at: offset).event,
                  ours.id != event.id else { continue }
            for field in theirs.body.fields ?? [] where ours.body[field.key] != field.value {
                let here = ours.body[field.key].map(shown) ?? "-"
                print("      \(SafeText.terminal(field.key)): \(SafeText.terminal(stamp.origin)) wrote «\(SafeText.terminal(shown(field.value)))», "
                      + "here «\(SafeText.terminal(here))» (\(SafeText.terminal(ours.actor)), \(ours.at.iso))")
            }
        }
    }
}

extension SyncCommand {
    /// Ships this store's new records to the district's database.
    func ship(path: String, actor: String, url: String) {
        guard batch >= 1 else { fail("--batch must be at least 1") }
        let store = guarded { try Store.open(path: path, wantWrite: false) }
        // The district gets facts about every record: the station's admin decides to send them.
        if !(store.state.staff.isEmpty && Identity.isRoot) {
            guard Policy.mayHandleRawEvents(requireViewer(store, actor)) else { fail("shipping a station's records to the district is for its station admin") }
        }
        let start = monotonicSeconds()
        do {
            let db = try PostgreSQL(url: url)
            let key = try DistrictKey.load(forLog: store.path, mode: store.log.mode, group: store.log.group)
            let summary = try Shipper.ship(store, to: db, householdKey: key, batchSize: batch)
            let name = SafeText.terminal(summary.origin)
            if summary.shipped == 0 {
                print("nothing new: the district has all \(summary.upTo) records of origin \(name)")
            } else {
                print("shipped \(summary.shipped) records of origin \(name) to the district (it now has 1–\(summary.upTo)) in \(format2(monotonicSeconds() - start)) s")
            }
        } catch ShipError.busy(let origin) {
            print("another sync of origin \(SafeText.terminal(origin)) to the district is running; nothing was done")
        } catch let e as ShipError {
            fail(e.description, code: 2)
        } catch {
            fail("\(error)")
        }
    }
}

private func shown(_ value: JSON) -> String { value.string ?? value.text }

struct SyncFetchError: Error, CustomStringConvertible {
    var host: String, path: String, status: Int32
    var description: String { "ssh \(host) could not read \(path) (exit \(status)); nothing was synced" }
}

/// The log a sync reads: a file on this host, or a copy of another host's, fetched through ssh.
struct SyncSource {
    let log: LogFile
    /// The source's projection, for its policy; nil for a remote source (the remote shegong applied it).
    var state: State? = nil
    /// Whether it was read through the group privilege (a store behind the setgid boundary).
    var protected = false

    static func open(_ from: String, remoteShegong: String) -> SyncSource {
        if from.hasPrefix("ssh://") { return fetch(from, remoteShegong: remoteShegong) }
        // Another store on this host: with the group privilege only inside a data directory (the
        // service's own stores), otherwise read as the person running the sync could read it.
        let store: Store = Privilege.isInDataDirectory(from)
            ? guarded { try Store.open(path: Privilege.storePath(from), wantWrite: false) }
            : guarded { try GroupPrivilege.droppedWhile { try Store.open(path: from, wantWrite: false) } }
        return SyncSource(log: store.log, state: store.state, protected: Privilege.isInDataDirectory(from))
    }

    /// Runs `shegong export --format log` on the remote host (which applies that store's policy to
    /// the remote account) and keeps what it prints in a private temporary file. The copy is
    /// checked record by record like any other source, so the other host is not trusted either.
    static func fetch(_ url: String, remoteShegong: String) -> SyncSource {
        let rest = url.dropFirst("ssh://".count)
        guard let slash = rest.firstIndex(of: "/"), slash != rest.startIndex else { fail("expected ssh://HOST/PATH, got \(url)") }
        let host = String(rest[..<slash]), remotePath = String(rest[slash...])
        guard !host.hasPrefix("-") else { fail("not a host name: \(host)") }
        let ssh = getenv("SHEGONG_SSH").map { String(cString: $0) } ?? "/usr/bin/ssh"
        let command = [remoteShegong, "export", "--format", "log", "--store", remotePath].map(shellQuoted).joined(separator: " ")
        // ssh runs the user's own configuration (ProxyCommand and the like): never with the group privilege.
        let log: LogFile = guarded {
            try GroupPrivilege.droppedWhile {
                let dir = try Privilege.privateTemporaryDirectory("shegong-sync")
                let file = dir + "/source.log"
                // The copy is read through its open descriptor: its name goes at once, so nothing of
                // another host's log is left behind, however this process ends.
                defer { unlink(file); rmdir(dir) }
                let fd = Glibc.open(file, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
                guard fd >= 0 else { throw StoreError.io(path: file, operation: "create", errno: errno) }
                defer { close(fd) }
                let result = try ChildProcess(ssh, ["-o", "BatchMode=yes", "--", host, command], output: .file(fd)).wait()
                guard result.status == 0 else { throw SyncFetchError(host: host, path: remotePath, status: result.status) }
                return try LogFile.open(path: file, wantWrite: false)
            }
        }
        return SyncSource(log: log)
    }

    /// One word for a POSIX shell, whatever it holds.
    static func shellQuoted(_ word: String) -> String {
        "'" + word.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
    }
}
