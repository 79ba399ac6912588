#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a finished child printed and how it ended.
public struct ProcessResult: Sendable {
    /// The exit code, or 128 + the signal number when a signal ended it (as a shell reports it).
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

public struct SpawnError: Error, CustomStringConvertible {
    public let program: String
    public let code: Int32
    public var description: String { "cannot start \(program): \(String(cString: strerror(code)))" }
}

/// A child process started with posix_spawn and reaped with a blocking waitpid on its own pid.
///
/// Foundation's `Process` on Linux learns of a child's exit from a SIGCHLD handler; under parallel
/// tests a fast child (a tmux client that returns at once) was sometimes never reaped and
/// `waitUntilExit` hung for good. A blocking waitpid on the pid cannot miss the exit. Output goes
/// to unlinked temporary files rather than pipes, so a grandchild that lives on (a daemon the child
/// starts) can never hold the reader open.
public final class ChildProcess {
    public enum Output {
        case capture, inherit, discard
        /// Standard output into this open file (the caller keeps and closes it); standard error shown.
        case file(Int32)
    }

    public let pid: pid_t
    private let stdoutFile: Int32
    private let stderrFile: Int32
    private var finished: ProcessResult?

    /// Starts `program` (an absolute path) with `arguments`. `environment` nil inherits ours;
    /// `input`, when given, is the child's whole standard input, otherwise it reads /dev/null.
    public init(_ program: String, _ arguments: [String], environment: [String: String]? = nil,
                input: String? = nil, output: Output = .capture) throws {
        let inputFile = try input.map { try Self.temporaryFile(holding: $0) } ?? open("/dev/null", O_RDONLY | O_CLOEXEC)
        defer { close(inputFile) }
        switch output {
        case .capture:
            stdoutFile = try Self.temporaryFile(holding: "")
            stderrFile = try Self.temporaryFile(holding: "")
        case .discard:
            stdoutFile = open("/dev/null", O_WRONLY | O_CLOEXEC)
            stderrFile = open("/dev/null", O_WRONLY | O_CLOEXEC)
        case .inherit:
            stdoutFile = -1
            stderrFile = -1
        case .file(let fd):
            stdoutFile = fcntl(fd, F_DUPFD_CLOEXEC, 0)
            stderrFile = -1
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inputFile, 0)
        if stdoutFile >= 0 { posix_spawn_file_actions_adddup2(&actions, stdoutFile, 1) }
        if stderrFile >= 0 { posix_spawn_file_actions_adddup2(&actions, stderrFile, 2) }

        let argv = ([program] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var envp: [UnsafeMutablePointer<CChar>?]? = environment.map { $0.map { strdup("\($0.key)=\($0.value)") } + [nil] }
        defer { envp?.forEach { free($0) } }
        var child: pid_t = 0
        var code: Int32 = 0
        // A program copied a moment ago can be briefly "busy": a child spawned on another thread
        // meanwhile inherited the copy's write descriptor until its own exec. That passes quickly.
        for attempt in 0..<40 {
            if envp != nil {
                code = posix_spawn(&child, program, &actions, nil, argv, &envp!)
            } else {
                code = posix_spawn(&child, program, &actions, nil, argv, environ)
            }
            guard code == ETXTBSY, attempt < 39 else { break }
            usleep(50_000)
        }
        guard code == 0 else {
            if stdoutFile >= 0 { close(stdoutFile) }
            if stderrFile >= 0 { close(stderrFile) }
            throw SpawnError(program: program, code: code)
        }
        pid = child
    }

    deinit {
        if finished == nil { _ = wait() }
    }

    /// Blocks until the child ends; later calls return the same result.
    @discardableResult
    public func wait() -> ProcessResult {
        if let finished { return finished }
        var raw: Int32 = 0
        while waitpid(pid, &raw, 0) < 0 && errno == EINTR {}
        let signal = raw & 0x7f
        let status = signal == 0 ? (raw >> 8) & 0xff : 128 + signal
        let captured = stderrFile >= 0
        let result = ProcessResult(status: status, stdout: captured ? Self.drain(stdoutFile) : "", stderr: Self.drain(stderrFile))
        if stdoutFile >= 0 { close(stdoutFile) }
        if stderrFile >= 0 { close(stderrFile) }
        finished = result
        return result
    }

    /// Runs `program` to the end and returns what it printed.
    public static func run(_ program: String, _ arguments: [String], environment: [String: String]? = nil,
                           input: String? = nil) throws -> ProcessResult {
        try ChildProcess(program, arguments, environment: environment, input: input).wait()
    }

    /// An already-unlinked file in the temporary directory, holding `text`, positioned at its start.
    private static func temporaryFile(holding text: String) throws -> Int32 {
        let directory = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        var template = Array("\(directory)/shegong-child-XXXXXX".utf8CString)
        let fd = mkstemp(&template)
        guard fd >= 0 else { throw SpawnError(program: "mkstemp", code: errno) }
        // A copy inherited by a child spawned meanwhile on another thread only keeps a nameless file open.
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        unlink(template)
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
            if n < 0 { if errno == EINTR { continue }; close(fd); throw SpawnError(program: "write", code: errno) }
            written += n
        }
        lseek(fd, 0, SEEK_SET)
        return fd
    }

    private static func drain(_ fd: Int32) -> String {
        guard fd >= 0 else { return "" }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        var offset: off_t = 0
        while true {
            let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, offset) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            bytes += buffer[0..<n]
            offset += off_t(n)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
