import ArgumentParser
import Foundation
import ShegongApp
import ShegongProcess
import ShegongStore

/// Sets up a shared station on one host: a service group that staff accounts are NOT members
/// of, a data directory and log only that group can open, and this binary installed setgid to
/// the group, so the access policy cannot be bypassed with `cat` (the way crontab guards its spool).
struct InstallSystem: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "install-system",
                                                    abstract: "Install shegong setgid to a service group and lock down a store (root).")
    @Option(help: "The service group (created when missing).") var group = "shegong"
    @Option(help: "Where to install the binary.") var bin = "/usr/local/bin"
    @Option(help: "The store to lock down (its directory becomes 2770 root:GROUP).") var store: String?

    func run() throws {
        guard getuid() == 0 else { fail("install-system must run as root") }
        if getgrnam(group) == nil {
            let r = try runProgram("/usr/sbin/groupadd", ["--system", group])
            guard r == 0 else { fail("groupadd \(group) failed") }
        }
        guard let gid = getgrnam(group)?.pointee.gr_gid else { fail("no group \(group)") }
        // The running binary itself (argv[0] is whatever the caller typed or chose).
        let source = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        let target = "\(bin)/shegong"
        if source != target {
            try? FileManager.default.removeItem(atPath: target)
            try FileManager.default.copyItem(atPath: source, toPath: target)
        }
        guard chown(target, 0, gid) == 0, chmod(target, 0o2755) == 0 else { fail("cannot set up \(target)") }
        print("installed \(target) setgid \(group) (mode 2755)")
        let themes = URL(fileURLWithPath: source).deletingLastPathComponent().path
        for dir in [FileManager.default.currentDirectoryPath + "/themes", themes + "/themes"] where FileManager.default.fileExists(atPath: dir) {
            try? FileManager.default.createDirectory(atPath: "/usr/local/share/shegong", withIntermediateDirectories: true)
            try? FileManager.default.removeItem(atPath: "/usr/local/share/shegong/themes")
            try? FileManager.default.copyItem(atPath: dir, toPath: "/usr/local/share/shegong/themes")
            // Every account reads the themes; the umask (007) would have closed them to staff.
            for path in ["/usr/local/share/shegong", "/usr/local/share/shegong/themes"] { chmod(path, 0o755) }
            for name in (try? FileManager.default.contentsOfDirectory(atPath: "/usr/local/share/shegong/themes")) ?? [] {
                chmod("/usr/local/share/shegong/themes/" + name, 0o644)
            }
            break
        }
        if let store {
            let dir = URL(fileURLWithPath: store).deletingLastPathComponent().path
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            chown(dir, 0, gid)
            chmod(dir, 0o2770)
            for name in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] {
                let path = dir + "/" + name
                chown(path, 0, gid)
                chmod(path, 0o660)
            }
            guard let canonical = realpath(dir, nil) else { fail("cannot resolve \(dir)") }
            defer { free(canonical) }
            try Privilege.recordDataDirectory(String(cString: canonical))
            print("locked down \(dir) (2770 root:\(group)); files 0660. Staff accounts must not be members of \(group).")
            print("recorded \(String(cString: canonical)) in \(Privilege.dataDirectoriesFile): the setgid binary opens stores only there")
        }
    }

    func runProgram(_ path: String, _ args: [String]) throws -> Int32 {
        try ChildProcess(path, args, output: .inherit).wait().status
    }
}
