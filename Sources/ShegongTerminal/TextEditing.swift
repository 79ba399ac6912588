/// A single-line field's text and cursor, edited by characters (never bytes or scalars), shown
/// with horizontal scrolling measured in display cells.
public struct TextField: Equatable, Sendable {
    public private(set) var characters: [Character]
    /// Insertion point, 0...characters.count.
    public private(set) var cursor: Int
    /// First display column shown (keeps the cursor visible).
    public private(set) var scroll = 0

    public init(_ text: String = "") {
        characters = Array(text)
        cursor = characters.count
    }

    public var text: String { String(characters) }

    public mutating func setText(_ text: String) {
        characters = Array(text)
        cursor = characters.count
        scroll = 0
    }

    /// Inserts typed or pasted text at the cursor; newlines and tabs in a paste become spaces.
    public mutating func insert(_ text: String) {
        let clean = text.map { $0 == "\n" || $0 == "\r" || $0 == "\t" ? " " : $0 }
        characters.insert(contentsOf: clean, at: cursor)
        cursor += clean.count
    }

    public mutating func backspace() {
        guard cursor > 0 else { return }
        characters.remove(at: cursor - 1)
        cursor -= 1
    }

    public mutating func deleteForward() {
        guard cursor < characters.count else { return }
        characters.remove(at: cursor)
    }

    public mutating func moveLeft() { cursor = max(0, cursor - 1) }
    public mutating func moveRight() { cursor = min(characters.count, cursor + 1) }
    public mutating func moveHome() { cursor = 0 }
    public mutating func moveEnd() { cursor = characters.count }
    public mutating func clear() { setText("") }

    /// Deletes from the cursor back to the start (Ctrl-U, as in a shell).
    public mutating func deleteToStart() {
        characters.removeFirst(cursor)
        cursor = 0
    }

    /// Applies an editing key; returns false when the key is not an editing key.
    @discardableResult
    public mutating func handle(_ key: Key) -> Bool {
        switch key {
        case .char(let c): insert(String(c))
        case .backspace: backspace()
        case .delete: deleteForward()
        case .left: moveLeft()
        case .right: moveRight()
        case .home, .ctrl("a"): moveHome()
        case .end, .ctrl("e"): moveEnd()
        case .ctrl("u"): deleteToStart()
        default: return false
        }
        return true
    }

    /// The display column of the cursor within the whole text.
    public var cursorColumn: Int { TextWidth.of(String(characters[0..<cursor])) }

    /// Adjusts `scroll` so the cursor is inside a window `width` cells wide.
    public mutating func scrollToCursor(width: Int) {
        guard width > 1 else { scroll = 0; return }
        let col = cursorColumn
        if col < scroll { scroll = col }
        if col >= scroll + width { scroll = col - width + 1 }
        // Never start in the middle of a wide character.
        var acc = 0
        for c in characters {
            let w = TextWidth.of(c)
            if acc >= scroll { break }
            if acc + w > scroll { scroll = acc + w; break }
            acc += w
        }
    }

    /// Draws the visible part into `rect` (one row) and returns the screen x of the cursor.
    @discardableResult
    public mutating func render(into grid: inout Grid, rect: Rect, role: StyleRole) -> Int {
        scrollToCursor(width: rect.width)
        grid.fill(rect, role: role)
        var col = 0
        var x = rect.x
        for c in characters {
            let w = TextWidth.of(c)
            defer { col += w }
            if col < scroll { continue }
            if x + w > rect.x + rect.width { break }
            grid.write(String(c), x: x, y: rect.y, role: role)
            x += w
        }
        return rect.x + cursorColumn - scroll
    }
}

/// A multi-line text area: lines of characters, a (line, column) cursor, vertical scrolling and
/// horizontal scrolling of the cursor's line.
public struct TextArea: Equatable, Sendable {
    public private(set) var lines: [[Character]]
    public private(set) var row = 0
    public private(set) var column = 0
    public private(set) var top = 0
    var preferredColumn = 0

    public init(_ text: String = "") {
        lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0) }
        if lines.isEmpty { lines = [[]] }
        row = lines.count - 1
        column = lines[row].count
    }

    public var text: String { lines.map { String($0) }.joined(separator: "\n") }

    public mutating func insert(_ text: String) {
        for c in text {
            if c == "\n" || c == "\r\n" || c == "\r" {
                let rest = Array(lines[row][column...])
                lines[row].removeSubrange(column...)
                lines.insert(rest, at: row + 1)
                row += 1
                column = 0
            } else {
                lines[row].insert(c == "\t" ? " " : c, at: column)
                column += 1
            }
        }
        preferredColumn = column
    }

    public mutating func backspace() {
        if column > 0 {
            lines[row].remove(at: column - 1)
            column -= 1
        } else if row > 0 {
            column = lines[row - 1].count
            lines[row - 1] += lines[row]
            lines.remove(at: row)
            row -= 1
        }
        preferredColumn = column
    }

    public mutating func deleteForward() {
        if column < lines[row].count { lines[row].remove(at: column) }
        else if row + 1 < lines.count { lines[row] += lines.remove(at: row + 1) }
    }

    public mutating func move(_ key: Key) {
        switch key {
        case .left:
            if column > 0 { column -= 1 } else if row > 0 { row -= 1; column = lines[row].count }
            preferredColumn = column
        case .right:
            if column < lines[row].count { column += 1 } else if row + 1 < lines.count { row += 1; column = 0 }
            preferredColumn = column
        case .up where row > 0: row -= 1; column = min(preferredColumn, lines[row].count)
        case .down where row + 1 < lines.count: row += 1; column = min(preferredColumn, lines[row].count)
        case .home: column = 0; preferredColumn = 0
        case .end: column = lines[row].count; preferredColumn = column
        default: break
        }
    }

    @discardableResult
    public mutating func handle(_ key: Key) -> Bool {
        switch key {
        case .char(let c): insert(String(c))
        case .enter: insert("\n")
        case .backspace: backspace()
        case .delete: deleteForward()
        case .left, .right, .up, .down, .home, .end: move(key)
        default: return false
        }
        return true
    }

    /// The lines as drawn `width` cells wide: each line cut into pieces that fit (by display
    /// width, so Chinese wraps at the box's edge), never splitting a character.
    public func wrapped(width: Int) -> [(line: Int, start: Int, end: Int)] {
        var out: [(line: Int, start: Int, end: Int)] = []
        for (i, l) in lines.enumerated() {
            var start = 0, used = 0
            for (k, c) in l.enumerated() {
                let w = TextWidth.of(c)
                if used + w > max(1, width), k > start {
                    out.append((i, start, k))
                    start = k
                    used = 0
                }
                used += w
            }
            out.append((i, start, l.count))
        }
        return out
    }

    /// Draws into `rect`, wrapped to its width; returns the cursor's screen position.
    @discardableResult
    public mutating func render(into grid: inout Grid, rect: Rect, role: StyleRole) -> (x: Int, y: Int) {
        grid.fill(rect, role: role)
        guard rect.height > 0, rect.width > 1 else { return (rect.x, rect.y) }
        // One cell is kept free at the right for the cursor after the last character.
        let rows = wrapped(width: rect.width - 1)
        let cursorRow = rows.lastIndex { $0.line == row && $0.start <= column } ?? 0
        if cursorRow < top { top = cursorRow }
        if cursorRow >= top + rect.height { top = cursorRow - rect.height + 1 }
        top = max(0, min(top, rows.count - 1))
        var cursor = (x: rect.x, y: rect.y)
        for i in 0..<rect.height where top + i < rows.count {
            let piece = rows[top + i]
            let text = String(lines[piece.line][piece.start..<piece.end])
            grid.write(text, x: rect.x, y: rect.y + i, role: role, maxWidth: rect.width)
            if top + i == cursorRow {
                cursor = (rect.x + TextWidth.of(String(lines[row][piece.start..<column])), rect.y + i)
            }
        }
        return cursor
    }
}
