import Foundation
import Testing

/// A real terminal for end-to-end tests: a detached tmux session running a command, typed into
/// with send-keys and read with capture-pane. Waits poll with a deadline; no fixed sleeps.
public final class Tmux: @unchecked Sendable {
    public let session: String
    public static var available: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") }
    /// For `@Test(Tmux.required)`: without tmux the test is reported as skipped, not as passed.
    public static var required: ConditionTrait { .enabled(if: available, "tmux is not installed") }

    public init(command: String, width: Int = 80, height: Int = 24, environment: [String: String] = [:]) throws {
        session = "sg-\(UUID().uuidString.prefix(8))"
        let env = environment.map { "\($0.key)=\(shellQuote($0.value))" }.joined(separator: " ")
        // The shell keeps the pane open after the program exits so its last screen can be read.
        let script = "export LANG=C.UTF-8 TERM=xterm-256color \(env); \(command); echo \"[exit $?]\"; sleep 600"
        // When another test kills the last session, the tmux server exits; a session started at
        // that moment is lost with it. So the start is checked, and retried on a fresh server.
        for _ in 0..<20 {
            try run(["new-session", "-d", "-s", session, "-x", "\(width)", "-y", "\(height)", "sh", "-c", script])
            if try run(["has-session", "-t", session]).status == 0 { return }
            usleep(100_000)
        }
        throw TmuxError(message: "tmux could not start a session for: \(command)")
    }

    deinit { _ = try? run(["kill-session", "-t", session]) }

    @discardableResult
    func run(_ args: [String]) throws -> ProcessResult {
        try ShegongTestSupport.run(args, program: "/usr/bin/tmux")
    }

    /// Types text literally (UTF-8, so Chinese arrives as an input method would deliver it).
    public func type(_ text: String) throws { try run(["send-keys", "-t", session, "-l", text]) }

    /// Sends named keys: Enter, Escape, Tab, C-s, Down, ...
    public func press(_ keys: String...) throws { try run(["send-keys", "-t", session] + keys) }

    public func screen() -> String { (try? run(["capture-pane", "-p", "-t", session]).stdout) ?? "" }

    public func cursor() -> (x: Int, y: Int)? {
        let out = (try? run(["display-message", "-p", "-t", session, "#{cursor_x} #{cursor_y}"]).stdout) ?? ""
        let parts = out.split(separator: " ").compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        return parts.count == 2 ? (parts[0], parts[1]) : nil
    }

    /// Waits until the screen contains `text`; returns the screen either way for messages.
    @discardableResult
    public func waitFor(_ text: String, timeout: Double = 10) -> (found: Bool, screen: String) {
        var last = ""
        let found = waitUntil(timeout: timeout, interval: 0.05) {
            last = screen()
            return last.contains(text)
        }
        return (found, last)
    }

    /// Waits until `condition` holds for the screen.
    @discardableResult
    public func waitFor(timeout: Double = 10, _ condition: (String) -> Bool) -> (found: Bool, screen: String) {
        var last = ""
        let found = waitUntil(timeout: timeout, interval: 0.05) {
            last = screen()
            return condition(last)
        }
        return (found, last)
    }

    public func pid() -> Int32? {
        let out = (try? run(["list-panes", "-t", session, "-F", "#{pane_pid}"]).stdout) ?? ""
        return Int32(out.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}

struct TmuxError: Error, CustomStringConvertible { let message: String; var description: String { message } }

func shellQuote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
