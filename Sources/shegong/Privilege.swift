import Foundation
#if canImport(Glibc)
import Glibc
#endif
import ShegongDomain
import ShegongStore

/// When installed setgid, the process may open the station's files but must not let the calling
/// account steer it: environment that names files is ignored, new files are never world-readable,
/// and a store is opened only inside a data directory that root recorded at install time.
enum Privilege {
    static var elevated: Bool { GroupPrivilege.elevated }

    /// Root-owned list of data directories, one absolute path per line, written by install-system.
    static let dataDirectoriesFile = "/etc/shegong/data-dirs"

    static func sanitise() {
        umask(0o007)
        guard elevated else { return }
        for name in ["SHEGONG_THEMES", "SHEGONG_FIRST_FRAME_FILE", "SHEGONG_LIVE_FRAME_FILE", "XDG_STATE_HOME", "HOME", "TMPDIR"] {
            unsetenv(name)
        }
        // libpq reads files named by PG* variables (PGPASSFILE, PGSERVICEFILE, PGSYSCONFDIR, the
        // PGSSL* key and certificate paths) when `sync` reaches a district under the group's
        // privilege: none of them is the caller's to choose. The URL given says where to connect.
        for name in ProcessInfo.processInfo.environment.keys where name.hasPrefix("PG") { unsetenv(name) }
        if let pw = getpwuid(getuid()), let home = pw.pointee.pw_dir { setenv("HOME", home, 1) }
    }

    /// A new directory only this account can enter (`mkdtemp`, mode 0700), under $TMPDIR or /tmp
    /// (the setgid process has no TMPDIR: `sanitise`). A name made from the pid could be made
    /// first by another account in the shared /tmp, which would then own what is written inside.
    static func privateTemporaryDirectory(_ prefix: String) throws -> String {
        let base = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        var template = Array("\(base)/\(prefix)-XXXXXX".utf8CString)
        guard mkdtemp(&template) != nil else { throw StoreError.io(path: base, operation: "mkdtemp", errno: errno) }
        return String(cString: template)
    }

    /// The path to open for `path`. An ordinary process uses it as given. The setgid process
    /// resolves its directory (no symlinks left), and accepts it only when that directory is a
    /// recorded data directory that still belongs to root and the service group and that no
    /// other account can enter; the file itself is then opened without following a symlink.
    static func storePath(_ path: String) -> String {
        guard elevated else { return path }
        let slash = path.lastIndex(of: "/")
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let dir = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        guard !name.isEmpty, name != ".", name != "..", let resolved = realpath(dir, nil) else {
            fail("\(SafeText.terminal(path)): not a store path")
        }
        let canonical = String(cString: resolved)
        free(resolved)
        guard dataDirectories().contains(canonical) else {
            fail("this shegong is installed setgid and opens stores only in a data directory root set up with install-system; "
                 + "\(SafeText.terminal(path)) is not in one")
        }
        var st = stat()
        guard lstat(canonical, &st) == 0, st.st_mode & S_IFMT == S_IFDIR, st.st_uid == 0, st.st_gid == getegid(),
              st.st_mode & 0o007 == 0 else {
            fail("\(canonical) must be a directory owned by root and the service group, closed to other accounts "
                 + "(run install-system again)")
        }
        return canonical + "/" + name
    }

    /// Benchmarks and the demo console start other programs, take paths and build stores freely:
    /// tools for a developer's own build, never for the installed setgid binary.
    static func refuseWhenElevated(_ what: String) {
        if elevated { fail("\(what) is not available in the installed (setgid) shegong; run it from a build of your own") }
    }

    /// New stores in the station's data directory are made by root (install-system, init): an
    /// account with no place on any roster must not fill the directory or shadow a file there.
    static func requireMayCreateStore(_ path: String) {
        if elevated && getuid() != 0 {
            fail("\(path): only root creates stores in the station's data directory (sudo shegong init ...)")
        }
    }

    /// The recorded data directories, trusted only when the list is a regular file root owns and
    /// only root can change.
    /// Whether `path` names a file directly inside a recorded data directory (symlinks resolved).
    static func isInDataDirectory(_ path: String) -> Bool {
        guard elevated else { return false }
        let slash = path.lastIndex(of: "/")
        let dir = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        guard let resolved = realpath(dir, nil) else { return false }
        defer { free(resolved) }
        return dataDirectories().contains(String(cString: resolved))
    }

    static func dataDirectories() -> [String] {
        guard let fd = try? SafeFile.openRegular(dataDirectoriesFile, flags: O_RDONLY) else { return [] }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_uid == 0, st.st_mode & 0o022 == 0, st.st_size < 1 << 20 else { return [] }
        var bytes = [UInt8](repeating: 0, count: Int(st.st_size))
        let got = read(fd, &bytes, bytes.count)
        guard got == bytes.count else { return [] }
        return String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init).filter { $0.hasPrefix("/") }
    }

    /// Adds a directory to the list (install-system, as root).
    static func recordDataDirectory(_ dir: String) throws {
        mkdir("/etc/shegong", 0o755)
        chmod("/etc/shegong", 0o755)  // the umask (007) would close it to the staff accounts that must read the list
        let current = dataDirectories()
        guard !current.contains(dir) else { return }
        let text = (current + [dir]).joined(separator: "\n") + "\n"
        try SafeFile.replace(dataDirectoriesFile, mode: 0o644) { fd in
            var t = text
            return t.withUTF8 { SafeFile.writeAll(fd, UnsafeRawBufferPointer($0)) }
        }
    }
}
