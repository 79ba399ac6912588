import Foundation
import ShegongDomain
@_exported import ShegongProcess
import Testing

/// A fresh directory under /tmp, removed when the test ends.
public final class TempDir: @unchecked Sendable {
    public let path: String
    public init() {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("shegong-test-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
    public func file(_ name: String) -> String { path + "/" + name }
}

/// The package's root, found from this file's location.
public let packageRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

/// The built `shegong` binary next to the test bundle.
public let shegongBinary: String = {
    let candidates = [Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("shegong").path,
                      Bundle.main.bundleURL.appendingPathComponent("shegong").path,
                      packageRoot + "/.build/debug/shegong"]
    for c in candidates where FileManager.default.isExecutableFile(atPath: c) { return c }
    for c in (try? FileManager.default.contentsOfDirectory(atPath: packageRoot + "/.build")) ?? [] {
        let p = packageRoot + "/.build/" + c + "/debug/shegong"
        if FileManager.default.isExecutableFile(atPath: p) { return p }
    }
    return packageRoot + "/.build/debug/shegong"
}()

/// For tests that create OS accounts, mount filesystems or act as another account.
public let rootRequired: ConditionTrait = .enabled(if: getuid() == 0, "needs root")

/// Runs `shegong` (or another program) to completion and captures its output.
@discardableResult
public func run(_ args: [String], program: String = shegongBinary, environment: [String: String]? = nil,
                stdin: String? = nil) throws -> ProcessResult {
    try ChildProcess.run(program, args, environment: environment, input: stdin)
}

/// A fixed clock and counting ids, so domain tests are exact.
public func testContext(actor: String = "sg001", day: String = "2026-11-21") -> EventContext {
    let counter = Counter()
    let d = Day(iso: day)!
    // Each context gets its own id space, so two contexts never make the same event id.
    let base = UInt64.random(in: 1...UInt64(1) << 40) << 20
    return EventContext(actor: actor, now: Timestamp(seconds: Int64(d.number) * 86400 + 2 * 3600),
                        makeID: { EventID(high: 0x0190_0000_0000_7000, low: 0x8000_0000_0000_0000 | base | counter.next()) })
}

final class Counter: @unchecked Sendable {
    private var value: UInt64 = 0
    private let lock = NSLock()
    func next() -> UInt64 { lock.lock(); defer { lock.unlock() }; value += 1; return value }
}

public func readBytes(_ path: String) -> [UInt8] { Array(FileManager.default.contents(atPath: path) ?? Data()) }
public func writeBytes(_ path: String, _ bytes: [UInt8]) { _ = FileManager.default.createFile(atPath: path, contents: Data(bytes), attributes: [.posixPermissions: 0o600]) }

/// Copies a program so it can be started at once: the copy is written through a close-on-exec
/// descriptor, so a child spawned meanwhile on another test's thread cannot keep it "text busy".
public func copyExecutable(_ source: String, to target: String) throws {
    let bytes = readBytes(source)
    let fd = open(target, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o755)
    guard fd >= 0 else { throw CocoaError(.fileWriteNoPermission) }
    defer { close(fd) }
    let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    guard written == bytes.count else { throw CocoaError(.fileWriteUnknown) }
}

/// Polls `condition` until it holds or `timeout` passes; no fixed sleeps in tests.
public func waitUntil(timeout: Double, interval: Double = 0.05, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try condition() { return true }
        Thread.sleep(forTimeInterval: interval)
    }
    return try condition()
}

/// Compares `text` with DIR/NAME.txt (DIR relative to the package); UPDATE_GOLDEN=1 writes it. A
/// missing golden fails: a test that writes its own expectation cannot fail.
public func expectGolden(_ name: String, _ text: String, in directory: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let path = packageRoot + "/\(directory)/\(name).txt"
    if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
        try? (text + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return
    }
    guard let expected = try? String(contentsOfFile: path, encoding: .utf8) else {
        Issue.record("golden \(name) is missing: write it with UPDATE_GOLDEN=1 swift test, review it, commit it",
                     sourceLocation: sourceLocation)
        return
    }
    #expect(text + "\n" == expected, "golden \(name) differs (UPDATE_GOLDEN=1 swift test rewrites it after review)",
            sourceLocation: sourceLocation)
}
