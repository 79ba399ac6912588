/// What a piece of screen means; the theme decides how it looks.
public enum StyleRole: String, CaseIterable, Sendable, Hashable {
    case normal, dim, title, header, selection, selectionInactive, status, statusKey, tabActive, tabInactive
    case input, inputFocused, border, accent, error, warning, ok, danger, dialog, highlight
}

public struct Cell: Equatable, Sendable {
    /// The character drawn here; "" for the right half of a wide character.
    public var text: String
    public var role: StyleRole
    public init(_ text: String = " ", role: StyleRole = .normal) { self.text = text; self.role = role }
    public var isContinuation: Bool { text.isEmpty }
}

public struct Rect: Equatable, Sendable {
    public var x: Int, y: Int, width: Int, height: Int
    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x; self.y = y; self.width = max(0, width); self.height = max(0, height)
    }
    public func inset(_ n: Int) -> Rect { Rect(x: x + n, y: y + n, width: width - 2 * n, height: height - 2 * n) }
    public func row(_ i: Int) -> Rect { Rect(x: x, y: y + i, width: width, height: 1) }
    public func splitTop(_ h: Int) -> (Rect, Rect) {
        let top = min(h, height)
        return (Rect(x: x, y: y, width: width, height: top), Rect(x: x, y: y + top, width: width, height: height - top))
    }
    public func centered(width w: Int, height h: Int) -> Rect {
        let cw = min(w, width), ch = min(h, height)
        return Rect(x: x + (width - cw) / 2, y: y + (height - ch) / 2, width: cw, height: ch)
    }
}

/// The screen as the program means it: a grid of cells, written width-aware. Tests read it as
/// text; the ncurses backend sends only the cells that changed.
public struct Grid: Equatable, Sendable {
    public private(set) var width: Int
    public private(set) var height: Int
    public private(set) var cells: [Cell]
    /// Where the terminal cursor should rest (the focused field's insertion point), if anywhere.
    public var cursor: (x: Int, y: Int)?

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: Cell(), count: self.width * self.height)
    }

    public static func == (a: Grid, b: Grid) -> Bool {
        a.width == b.width && a.height == b.height && a.cells == b.cells && a.cursor?.x == b.cursor?.x && a.cursor?.y == b.cursor?.y
    }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set { cells[y * width + x] = newValue }
    }

    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    public mutating func fill(_ rect: Rect, role: StyleRole, char: String = " ") {
        for y in max(0, rect.y)..<min(height, rect.y + rect.height) {
            for x in max(0, rect.x)..<min(width, rect.x + rect.width) { clearCell(x, y, role: role, char: char) }
        }
    }

    /// A wide character split by an overwrite leaves its other half blank, never half a glyph.
    mutating func clearCell(_ x: Int, _ y: Int, role: StyleRole, char: String = " ") {
        let i = y * width + x
        if cells[i].isContinuation, x > 0 { cells[i - 1] = Cell(" ", role: cells[i - 1].role) }
        if x + 1 < width, cells[i + 1].isContinuation { cells[i + 1] = Cell(" ", role: cells[i + 1].role) }
        cells[i] = Cell(char, role: role)
    }

    /// Writes `text` from (x, y), clipped to `maxWidth` cells and the grid's edge. A wide
    /// character that would not fit whole is replaced by a space. Returns the cells used.
    @discardableResult
    public mutating func write(_ text: some StringProtocol, x: Int, y: Int, role: StyleRole = .normal, maxWidth: Int? = nil) -> Int {
        guard y >= 0, y < height, x < width else { return 0 }
        let limit = min(width, x + (maxWidth ?? width))
        var col = x
        for ch in text {
            var c = ch
            // C0, DEL and C1 controls would move the cursor or start an escape sequence.
            if let s = c.unicodeScalars.first, s.value < 0x20 || (0x7F...0x9F).contains(s.value) { c = "·" }
            let w = TextWidth.of(c)
            if w == 0 { continue }
            if col + w > limit {
                if w == 2, col < limit, col >= 0 { clearCell(col, y, role: role) ; col += 1 }
                break
            }
            if col >= 0 {
                clearCell(col, y, role: role)
                cells[y * width + col] = Cell(String(c), role: role)
                if w == 2 {
                    clearCell(col + 1, y, role: role)
                    cells[y * width + col + 1] = Cell("", role: role)
                }
            }
            col += w
        }
        return col - x
    }

    /// Writes `text` padded or truncated (with a marker) to exactly `width` cells.
    public mutating func writePadded(_ text: some StringProtocol, x: Int, y: Int, width w: Int, role: StyleRole = .normal,
                                     alignRight: Bool = false) {
        write(TextWidth.pad(text, to: w, alignRight: alignRight), x: x, y: y, role: role, maxWidth: w)
    }

    /// One row as text, the right half of wide characters skipped, trailing spaces trimmed.
    public func line(_ y: Int) -> String {
        var s = ""
        for x in 0..<width where !self[x, y].isContinuation { s += self[x, y].text }
        while s.hasSuffix(" ") { s.removeLast() }
        return s
    }

    /// The whole screen as text, as a person would read it.
    public var text: String { (0..<height).map(line).joined(separator: "\n") }

    /// The role at a cell: lets tests check what is highlighted.
    public func role(atLine y: Int, containing needle: String) -> StyleRole? {
        let l = line(y)
        guard let r = l.range(of: needle) else { return nil }
        let col = TextWidth.of(l[..<r.lowerBound])
        var x = 0, seen = 0
        while x < width, seen < col { if !self[x, y].isContinuation { seen += TextWidth.of(self[x, y].text) }; x += 1 }
        while x < width, self[x, y].isContinuation { x += 1 }
        return x < width ? self[x, y].role : nil
    }

    public mutating func box(_ r: Rect, role: StyleRole = .border, title: String? = nil) {
        guard r.width >= 2, r.height >= 2 else { return }
        // ASCII corners: box-drawing characters are ambiguous width in CJK terminals.
        for x in r.x..<(r.x + r.width) {
            write("-", x: x, y: r.y, role: role)
            write("-", x: x, y: r.y + r.height - 1, role: role)
        }
        for y in r.y..<(r.y + r.height) {
            write("|", x: r.x, y: y, role: role)
            write("|", x: r.x + r.width - 1, y: y, role: role)
        }
        for (cx, cy) in [(r.x, r.y), (r.x + r.width - 1, r.y), (r.x, r.y + r.height - 1), (r.x + r.width - 1, r.y + r.height - 1)] {
            write("+", x: cx, y: cy, role: role)
        }
        if let title { write(" \(title) ", x: r.x + 2, y: r.y, role: .title, maxWidth: r.width - 4) }
    }
}
