/// A key press, after the terminal's escape sequences have been decoded.
public enum Key: Equatable, Hashable, Sendable {
    case char(Character)
    case ctrl(Character)
    case enter, escape, tab, backTab, backspace, delete
    case up, down, left, right, home, end, pageUp, pageDown
    case function(Int)
    /// Alt with ← or → (browser-style back and forward).
    case altLeft, altRight
    case resize

    /// How help and the status bar write this key.
    public var label: String {
        switch self {
        case .char(let c): return c == " " ? "Space" : String(c)
        case .ctrl(let c): return "Ctrl-\(c.uppercased())"
        case .enter: return "Enter"
        case .escape: return "Esc"
        case .tab: return "Tab"
        case .backTab: return "Shift-Tab"
        case .backspace: return "Backspace"
        case .delete: return "Del"
        case .up: return "↑"
        case .down: return "↓"
        case .left: return "←"
        case .right: return "→"
        case .home: return "Home"
        case .end: return "End"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .function(let n): return "F\(n)"
        case .altLeft: return "Alt-←"
        case .altRight: return "Alt-→"
        case .resize: return "resize"
        }
    }
}

/// Where frames go and keys come from. The console holds one; tests use `MemoryBackend`.
public protocol TerminalBackend: AnyObject {
    var size: (width: Int, height: Int) { get }
    var colorDepth: ColorDepth { get }
    /// Shows `grid` (sending only what changed since the last frame) and places the cursor.
    func present(_ grid: Grid, theme: ResolvedTheme)
    /// The next key, or nil after `timeoutMs` without one.
    func readKey(timeoutMs: Int) -> Key?
    /// Restores the terminal. Safe to call more than once.
    func shutdown()
    /// The next key, or nil after `timeoutMs` or as soon as `wake` (a descriptor, such as a log
    /// watcher's) becomes readable.
    func readKey(timeoutMs: Int, wake: Int32?) -> Key?
}

extension TerminalBackend {
    public func readKey(timeoutMs: Int, wake: Int32?) -> Key? { readKey(timeoutMs: timeoutMs) }
}

/// An in-memory terminal: keys are queued by the test, frames are kept to be read as text.
public final class MemoryBackend: TerminalBackend {
    public var size: (width: Int, height: Int)
    public var colorDepth: ColorDepth
    public private(set) var frames: [Grid] = []
    public var keys: [Key] = []
    public private(set) var isShutDown = false

    public init(width: Int = 80, height: Int = 24, colorDepth: ColorDepth = .c256) {
        size = (width, height)
        self.colorDepth = colorDepth
    }

    public var lastFrame: Grid? { frames.last }
    public var screen: String { frames.last?.text ?? "" }

    public func present(_ grid: Grid, theme: ResolvedTheme) { frames.append(grid) }

    public func readKey(timeoutMs: Int) -> Key? { keys.isEmpty ? nil : keys.removeFirst() }

    public func type(_ text: String) { keys.append(contentsOf: text.map(Key.char)) }

    public func shutdown() { isShutDown = true }
}
