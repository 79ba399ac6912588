import CNCurses
import CShegongSignals
#if canImport(Glibc)
import Glibc
#endif

/// The real terminal. All ncurses calls happen on the thread that owns this object (the
/// console's main loop); signals only set a flag that the loop notices between keys.
public final class NCursesBackend: TerminalBackend {
    public private(set) var colorDepth: ColorDepth = .mono
    private var previous: Grid?
    private var pairs: [PairKey: Int32] = [:]
    private var active = false
    public private(set) var localeWasUTF8 = true

    struct PairKey: Hashable { var fg: Int; var bg: Int }

    public init(forceMono: Bool = false) {
        localeWasUTF8 = TextWidth.prepareLocale()
        sg_install_signal_flags()
        initscr()
        active = true
        raw()
        noecho()
        keypad(sg_stdscr(), true)
        sg_set_escdelay(25)
        if has_colors() && !forceMono {
            start_color()
            use_default_colors()
        }
        colorDepth = ColorDepth.detect(colors: has_colors() ? Int(sg_colors()) : 0, noColor: forceMono)
    }

    deinit { shutdown() }

    public var size: (width: Int, height: Int) { (Int(sg_cols()), Int(sg_lines())) }

    /// Which signal (SIGTERM, SIGHUP, SIGINT) arrived since the last call, if any.
    public func pendingSignal() -> Int32? {
        let s = sg_take_pending_signal()
        return s == 0 ? nil : s
    }

    public func present(_ grid: Grid, theme: ResolvedTheme) {
        guard active else { return }
        let full = previous.map { $0.width != grid.width || $0.height != grid.height } ?? true
        if full { erase() }
        for y in 0..<grid.height {
            for x in 0..<grid.width {
                let cell = grid[x, y]
                if cell.isContinuation { continue }
                if !full, let prev = previous, prev[x, y] == cell,
                   x + 1 >= grid.width || prev[x + 1, y] == grid[x + 1, y] { continue }
                draw(cell, x: x, y: y, style: theme.style(cell.role))
            }
        }
        previous = grid
        if let c = grid.cursor {
            curs_set(1)
            move(Int32(c.y), Int32(c.x))
        } else {
            curs_set(0)
        }
        refresh()
    }

    private func draw(_ cell: Cell, x: Int, y: Int, style: ResolvedStyle) {
        var attrs = sg_a_normal()
        if style.attributes.contains(.bold) { attrs |= sg_a_bold() }
        if style.attributes.contains(.reverse) { attrs |= sg_a_reverse() }
        if style.attributes.contains(.underline) { attrs |= sg_a_underline() }
        if style.attributes.contains(.dim) { attrs |= sg_a_dim() }
        let pair = colorPair(fg: style.fg, bg: style.bg)
        var wide = cell.text.unicodeScalars.map { wchar_t(bitPattern: $0.value) }
        wide.append(0)
        _ = sg_put_cell(Int32(y), Int32(x), wide, attrs, Int32(pair))
    }

    private func colorPair(fg: Int, bg: Int) -> Int32 {
        guard colorDepth != .mono, fg != -1 || bg != -1 else { return 0 }
        let key = PairKey(fg: fg, bg: bg)
        if let p = pairs[key] { return p }
        let n = Int32(pairs.count + 1)
        guard n < sg_color_pairs() else { return 0 }
        sg_init_pair(n, Int32(fg), Int32(bg))
        pairs[key] = n
        return n
    }

    public func readKey(timeoutMs: Int) -> Key? {
        guard active else { return nil }
        timeout(Int32(timeoutMs))
        var ch: wint_t = 0
        let kind = sg_get_wch(&ch)
        if kind == ERR { return nil }
        if kind == KEY_CODE_YES { return Self.functionKey(Int32(ch)) }
        return Self.characterKey(UInt32(ch))
    }

    public func readKey(timeoutMs: Int, wake: Int32?) -> Key? {
        guard let wake, active else { return readKey(timeoutMs: timeoutMs) }
        // Keys ncurses already holds come first; then wait for the terminal or the wake descriptor.
        if let key = readKey(timeoutMs: 0) { return key }
        var fds = [pollfd(fd: 0, events: Int16(POLLIN), revents: 0), pollfd(fd: wake, events: Int16(POLLIN), revents: 0)]
        let ready = poll(&fds, 2, Int32(timeoutMs))
        // A hung-up terminal: answer at once, so the runner sees input at its end and quits.
        if ready > 0, fds[0].revents & Int16(POLLHUP | POLLERR) != 0 { return nil }
        // A key (the rest of an escape sequence may still be on its way: allow it a moment).
        if ready > 0, fds[0].revents != 0 { return readKey(timeoutMs: 25) }
        return nil
    }

    static func functionKey(_ code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_ENTER: return .enter
        case KEY_BTAB: return .backTab
        case sg_key_resize(): return .resize
        case KEY_F0 + 1...KEY_F0 + 12: return .function(Int(code - KEY_F0))
        case altLeftCode where altLeftCode != 0: return .altLeft
        case altRightCode where altRightCode != 0: return .altRight
        default: return nil
        }
    }

    // Looked up once ncurses has read the terminal's description (the first key comes after initscr).
    static let altLeftCode = sg_key_named("kLFT3")
    static let altRightCode = sg_key_named("kRIT3")

    /// Plain characters, control keys and Esc.
    static func characterKey(_ value: UInt32) -> Key? {
        switch value {
        case 0x0D, 0x0A: return .enter
        case 0x09: return .tab
        case 0x7F, 0x08: return .backspace
        case 0x1B:
            // ncurses already turned escape sequences of known keys into key codes (within ESCDELAY);
            // a byte left here is a lone Esc. An Alt-chord reads as Esc and then the key.
            return .escape
        case 0x01...0x1A: return .ctrl(Character(Unicode.Scalar(value + 0x60)!))
        default:
            guard let scalar = Unicode.Scalar(value) else { return nil }
            return .char(Character(scalar))
        }
    }

    public func shutdown() {
        guard active else { return }
        active = false
        curs_set(1)
        endwin()
    }
}
