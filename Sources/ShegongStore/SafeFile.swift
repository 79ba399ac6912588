#if canImport(Glibc)
import Glibc
#endif

/// Opening and creating files so that a path a caller controls cannot steer a write or a read
/// somewhere else. The setgid binary writes the station's files with the service group's
/// privilege: a symlink or a FIFO planted where it expects a file must fail, never follow.
public enum SafeFile {
    /// Opens an existing regular file. `O_NONBLOCK` keeps a FIFO from blocking the open, `fstat`
    /// then refuses anything that is not a regular file, and the last component is never a
    /// symlink (`O_NOFOLLOW`).
    public static func openRegular(_ path: String, flags: Int32) throws(StoreError) -> Int32 {
        let fd = open(path, flags | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ELOOP { throw .notRegularFile(path: path, kind: "a symbolic link") }
            throw StoreError.from(errno: errno, path: path, operation: "open")
        }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let e = errno
            close(fd)
            throw StoreError.from(errno: e, path: path, operation: "stat")
        }
        guard st.st_mode & S_IFMT == S_IFREG else {
            close(fd)
            throw .notRegularFile(path: path, kind: fileKind(st.st_mode))
        }
        // A regular file never blocks; clear the flag so later reads and writes behave as usual.
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        return fd
    }

    static func fileKind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFIFO: return "a FIFO"
        case S_IFDIR: return "a directory"
        case S_IFCHR, S_IFBLK: return "a device"
        case S_IFSOCK: return "a socket"
        case S_IFLNK: return "a symbolic link"
        default: return "not a regular file"
        }
    }

    /// Creates a file that did not exist, exactly at `path`: a planted file or symlink makes it fail.
    public static func createNew(_ path: String, mode: mode_t) throws(StoreError) -> Int32 {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        guard fd >= 0 else { throw StoreError.from(errno: errno, path: path, operation: "create") }
        fchmod(fd, mode)
        return fd
    }

    /// Creates a new file with an unguessable name next to `path`, for a write-then-rename.
    public static func createTemporary(beside path: String, mode: mode_t) throws(StoreError) -> (fd: Int32, path: String) {
        var g = SystemRandomNumberGenerator()
        for _ in 0..<8 {
            let temp = "\(path).tmp-\(String(g.next() as UInt64, radix: 36))"
            do { return (try createNew(temp, mode: mode), temp) } catch .alreadyExists(_) { continue }
        }
        throw .alreadyExists(path: path)
    }

    /// Replaces `path` atomically: a new temporary file beside it, written, fsynced and renamed
    /// over it, then the directory fsynced. A symlink at `path` is replaced, never followed.
    public static func replace(_ path: String, mode: mode_t, group: gid_t? = nil,
                               write: (Int32) -> Int32?) throws(StoreError) {
        let (fd, temp) = try createTemporary(beside: path, mode: mode)
        if let group { fchown(fd, uid_t.max, group) }
        var failure = write(fd)
        if failure == nil, fsync(fd) != 0 { failure = errno }
        close(fd)
        if let e = failure {
            unlink(temp)
            throw StoreError.from(errno: e, path: temp, operation: "write")
        }
        guard rename(temp, path) == 0 else {
            let e = errno
            unlink(temp)
            throw StoreError.from(errno: e, path: path, operation: "rename")
        }
        fsyncDirectory(directory(of: path))
    }

    /// Writes every byte of `buffer` to `fd`; returns the errno of a failure, or nil.
    public static func writeAll(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) -> Int32? {
        var done = 0
        while done < buffer.count {
            let n = Glibc.write(fd, buffer.baseAddress! + done, buffer.count - done)
            if n < 0 { if errno == EINTR { continue }; return errno }
            done += n
        }
        return nil
    }

    /// Reads a whole regular file of at most `limit` bytes.
    public static func read(_ path: String, limit: Int) throws(StoreError) -> [UInt8] {
        let fd = try openRegular(path, flags: O_RDONLY)
        defer { close(fd) }
        var st = stat()
        fstat(fd, &st)
        guard Int(st.st_size) <= limit else { throw .tooLarge(path: path, bytes: Int(st.st_size), limit: limit) }
        return readExactly(fd, count: Int(st.st_size), at: 0) ?? []
    }
}

/// The setgid binary's group privilege, put down while it touches the user's own files (drafts,
/// exports, certificates), so a symlink in the user's home reaches only what the user could.
public enum GroupPrivilege {
    /// Whether this process runs with a group (or user) other than the caller's.
    public static var elevated: Bool { getegid() != getgid() || geteuid() != getuid() }

    public static func droppedWhile<T>(_ body: () throws -> T) throws -> T {
        let saved = getegid()
        guard saved != getgid() else { return try body() }
        // If the drop fails, do nothing at all rather than write with the group's privilege.
        guard setegid(getgid()) == 0 else { throw StoreError.permissionDenied(path: "(dropping the group privilege)") }
        defer { _ = setegid(saved) }
        return try body()
    }
}
