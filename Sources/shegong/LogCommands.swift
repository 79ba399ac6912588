import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import ShegongApp
import ShegongDomain
import ShegongStore

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create a store; the account running this becomes station admin.")
    @OptionGroup var options: StoreOption
    @Option(help: "The station's name, e.g. 弹子石街道社工站.") var station: String
    @Option(help: "The store's origin among the stores whose records merge (default: the station's name; it never changes).")
    var origin: String?
    @Option(help: "Share the log with this group (mode 0660) instead of keeping it personal (0600).") var group: String?

    func run() throws {
        let path = try options.path()
        let actor = try options.actor()
        Privilege.requireMayCreateStore(path)
        if let origin, !Origin.isValidName(origin) { fail("an origin is a short name without '/' or control characters: \(origin)") }
        var gid: gid_t?
        if let group {
            guard let gr = getgrnam(group) else { fail("no such group: \(group)") }
            gid = gr.pointee.gr_gid
        }
        let store = guarded { try Store.create(path: path, station: station, origin: origin, context: Identity.context(actor: actor),
                                                mode: gid == nil ? 0o600 : 0o660, group: gid) }
        print("created \(path) for \(station); \(actor) is station admin (\(store.position.count) records)")
    }
}

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check every record's checksum and the hash chain; with --audit, every event against the rules.",
        discussion: "Exit 0: intact. Exit 1: a torn tail (an interrupted write; no acknowledged record is lost). Exit 2: damage. "
            + "Exit 3: --since not in the chain. Exit 4: --audit found events the rules refuse.")
    @OptionGroup var options: StoreOption
    @Option(help: "A head hash printed earlier: prove the log was only appended to since.") var since: String?
    @Flag(help: "Replay the log and re-check every event against the access policy and the validation rules.") var audit = false

    func run() throws {
        let path = try options.path()
        // Counts and hashes only, but still for the station's own staff.
        let store = guarded { try Store.open(path: path, wantWrite: false) }
        let viewer = requireViewerOrRoot(store, try options.actor())
        if audit {
            // Findings name accounts and records: for those who review the log, not every reader.
            if let viewer, !Policy.mayReviewAccess(viewer) { fail("verify --audit is for the station admin and supervisors") }
            return try runAudit(path)
        }
        let log = store.log
        var sinceFound: Int?
        let wanted = since.flatMap { ChainHash(hex: $0.lowercased()) }
        if since != nil && wanted == nil { fail("--since needs a 64-digit hex hash") }
        if wanted == .genesis { sinceFound = 0 }
        // The common case, an intact log, is checked on both cores without parsing a record;
        // anything else is scanned record by record, which names what and where.
        if let intact = log.intactChain(since: wanted) {
            print("ok: \(intact.position.count) records, head \(intact.position.head.hex)")
            try reportSince(found: intact.since, count: intact.position.count)
            return
        }
        let (pos, end) = guarded {
            try log.scan(from: .start) { record, _ in
                // The record names the hash of its predecessor; the last one is checked after the scan.
                if let wanted, record.prev == wanted, sinceFound == nil { sinceFound = record.number - 1 }
            }
        }
        if let wanted, sinceFound == nil, pos.head == wanted { sinceFound = pos.count }
        switch end {
        case .damaged(let d):
            print("DAMAGED: \(d.description)")
            print("\(pos.count) records before it are intact; `shegong repair --store \(path)` keeps them and moves the rest aside")
            throw ExitCode(2)
        case .tornTail(let bytes):
            print("\(pos.count) records, head \(pos.head.hex)")
            print("TORN TAIL: \(bytes) bytes after record \(pos.count) at byte \(pos.endOffset) are an interrupted write; "
                  + "no acknowledged record is affected, the next write cuts them off")
        case .clean:
            print("ok: \(pos.count) records, head \(pos.head.hex)")
        }
        try reportSince(found: sinceFound, count: pos.count)
        if case .tornTail = end { throw ExitCode(1) }
    }

    func reportSince(found: Int?, count: Int) throws {
        guard since != nil else { return }
        if let n = found {
            print("since: that hash is the head after record \(n); the log has only been appended to since (\(count - n) new records)")
        } else {
            print("since: that hash is not in this log's chain: the log was rewritten, or the hash is from another log")
            throw ExitCode(3)
        }
    }

    func runAudit(_ path: String) throws {
        var findings = 0
        let (pos, end) = guarded {
            try Store.audit(path: path) { f in
                findings += 1
                print("record \(f.recordNumber): \(f.type) \(f.subject) by \(f.actor): \(f.rule.description)")
            }
        }
        if case .damaged(let d) = end { print("DAMAGED: \(d.description); audited the \(pos.count) records before it") }
        print(findings == 0 ? "audit: all \(pos.count) events pass the rules" : "audit: \(findings) of \(pos.count) events should not have been accepted")
        if findings > 0 { throw ExitCode(4) }
        if case .damaged = end { throw ExitCode(2) }
    }
}

struct Repair: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Keep the valid prefix of a damaged log and move everything after it to a side file.")
    @OptionGroup var options: StoreOption

    func run() throws {
        let path = try options.path()
        let prefix = guarded { try Store.open(path: path, wantWrite: false, useCheckpoint: false) }
        if let viewer = requireViewerOrRoot(prefix, try options.actor()), !Policy.mayRepair(viewer) {
            fail("repair changes the log: station admin only")
        }
        let log = guarded { try LogFile.open(path: path, wantWrite: true) }
        guard log.writable else { fail(StoreError.readOnly(path: path).description) }
        let message: String = guarded {
            try log.withExclusiveLock {
                let (pos, end) = try log.scan(from: .start) { _, _ in }
                let size = try log.size()
                switch end {
                case .clean: return "nothing to repair: \(pos.count) records, head \(pos.head.hex)"
                case .tornTail(let bytes):
                    try log.truncate(to: pos.endOffset)
                    return "cut off a torn tail of \(bytes) bytes; \(pos.count) records kept"
                case .damaged(let d):
                    let side = "\(path).damaged-\(Int(time(nil)))"
                    let rest = try log.readBytes(from: pos.endOffset, count: Int(size - pos.endOffset))
                    let out = try LogFile.create(path: side, mode: log.mode & 0o660, group: log.group)
                    try out.appendDurably(rest, at: 0)
                    try log.truncate(to: pos.endOffset)
                    unlink(path + ".checkpoint")
                    return "damage at \(d.description)\nkept \(pos.count) records (head \(pos.head.hex)); "
                        + "moved \(rest.count) bytes from byte \(pos.endOffset) to \(side)"
                }
            }
        }
        print(message)
    }
}

struct CheckpointCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "checkpoint",
                                                    abstract: "Write a checkpoint for a fast start (the console does this too).")
    @OptionGroup var options: StoreOption
    func run() throws {
        let path = try options.path()
        let store = guarded { try Store.open(path: path) }
        _ = requireViewer(store, try options.actor())
        guarded { try store.writeCheckpoint() }
        print("checkpoint written: \(store.position.count) records")
    }
}
