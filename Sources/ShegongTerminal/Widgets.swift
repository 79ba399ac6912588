/// A table column: a title and a width in cells (0 = share the rest).
public struct Column: Equatable, Sendable {
    public var title: String
    public var width: Int
    public var alignRight: Bool
    public init(_ title: String, width: Int = 0, alignRight: Bool = false) {
        self.title = title; self.width = width; self.alignRight = alignRight
    }
}

/// A scrollable table with a selected row and a sort column. Rows are display strings; cells
/// are padded and truncated by display width, so Chinese, Latin and digits line up.
public struct TableView: Equatable, Sendable {
    public var columns: [Column]
    public var rowCount = 0
    public private(set) var selected = 0
    public private(set) var top = 0
    public var sortColumn: Int?
    public var sortAscending = true

    public init(columns: [Column]) { self.columns = columns }

    public mutating func setRowCount(_ n: Int) {
        rowCount = n
        selected = min(selected, max(0, n - 1))
    }

    public mutating func select(_ index: Int) { selected = max(0, min(index, rowCount - 1)) }

    /// The first row on screen (kept by the caller; `render` moves it only to show the selection).
    public mutating func scroll(to row: Int) { top = max(0, row) }

    /// Moves the selection for navigation keys; returns false for other keys.
    public mutating func handle(_ key: Key, pageSize: Int) -> Bool {
        switch key {
        case .up, .char("k"): select(selected - 1)
        case .down, .char("j"): select(selected + 1)
        case .pageUp: select(selected - max(1, pageSize))
        case .pageDown: select(selected + max(1, pageSize))
        case .home, .char("g"): select(0)
        case .end, .char("G"): select(rowCount - 1)
        default: return false
        }
        return true
    }

    public mutating func cycleSort() {
        guard !columns.isEmpty else { return }
        if let c = sortColumn {
            if sortAscending { sortAscending = false } else { sortColumn = (c + 1) % columns.count; sortAscending = true }
        } else { sortColumn = 0; sortAscending = true }
    }

    /// The width each column gets inside `width` cells (one space between columns).
    public func widths(total: Int) -> [Int] {
        let gaps = max(0, columns.count - 1)
        let fixed = columns.reduce(0) { $0 + $1.width }
        let flexible = columns.filter { $0.width == 0 }.count
        let rest = max(0, total - fixed - gaps)
        var out = columns.map { $0.width == 0 ? (flexible == 0 ? 0 : rest / flexible) : $0.width }
        if flexible > 0, let last = columns.lastIndex(where: { $0.width == 0 }) { out[last] += rest - (rest / flexible) * flexible }
        return out
    }

    /// Draws the header and the visible rows; `row(i)` gives row i's cells (only visible rows are
    /// asked) and `rowRole(i)` how an unselected row looks (what is late can stand out).
    public mutating func render(into grid: inout Grid, rect: Rect, focused: Bool = true,
                                rowRole: (Int) -> StyleRole = { _ in .normal }, row: (Int) -> [String]) {
        guard rect.height > 0 else { return }
        let ws = widths(total: rect.width)
        grid.fill(rect.row(0), role: .header)
        var x = rect.x
        for (i, c) in columns.enumerated() {
            var title = c.title
            if sortColumn == i { title += sortAscending ? " ^" : " v" }
            grid.writePadded(title, x: x, y: rect.y, width: ws[i], role: .header, alignRight: c.alignRight)
            x += ws[i] + 1
        }
        let visible = rect.height - 1
        if selected < top { top = selected }
        if selected >= top + visible { top = selected - visible + 1 }
        top = max(0, min(top, max(0, rowCount - visible)))
        for line in 0..<visible {
            let index = top + line
            let y = rect.y + 1 + line
            let isSelected = index == selected && index < rowCount
            let role: StyleRole = isSelected ? (focused ? .selection : .selectionInactive) : index < rowCount ? rowRole(index) : .normal
            grid.fill(Rect(x: rect.x, y: y, width: rect.width, height: 1), role: role)
            guard index < rowCount else { continue }
            let cells = row(index)
            var x = rect.x
            for (i, c) in columns.enumerated() {
                grid.writePadded(i < cells.count ? cells[i] : "", x: x, y: y, width: ws[i], role: role, alignRight: c.alignRight)
                x += ws[i] + 1
            }
        }
    }
}

/// Tabs across the top, each with the key that goes to it; the active one highlighted. When they
/// do not all fit, the row starts late enough that the active tab is on it, and ‹ › say more
/// tabs lie that way.
public enum TabBar {
    public static func render(into grid: inout Grid, rect: Rect, tabs: [(key: Character, title: String)], active: Int) {
        grid.fill(rect, role: .tabInactive)
        let labels = tabs.map { "\($0.key) \($0.title) " }
        let widths = labels.map { TextWidth.of($0) }
        var first = 0
        func fits(_ from: Int, through last: Int) -> Bool {
            widths[from...last].reduce(0, +) + (from > 0 ? 2 : 0) + (last < tabs.count - 1 ? 2 : 0) <= rect.width
        }
        if widths.reduce(0, +) > rect.width { while first < active, !fits(first, through: active) { first += 1 } }
        var x = rect.x
        if first > 0 { grid.write("‹ ", x: x, y: rect.y, role: .tabInactive); x += 2 }
        for i in first..<tabs.count {
            let room = rect.x + rect.width - x - (i < tabs.count - 1 ? 2 : 0)
            if widths[i] > room {
                grid.write("›", x: rect.x + rect.width - 1, y: rect.y, role: .tabInactive)
                break
            }
            grid.write(labels[i], x: x, y: rect.y, role: i == active ? .tabActive : .tabInactive)
            x += widths[i]
        }
    }
}

/// The bottom line: a message on the left, key hints on the right (dropped first when narrow).
public enum StatusBar {
    public static func render(into grid: inout Grid, rect: Rect, message: String, messageRole: StyleRole = .status,
                              hints: [(key: String, label: String)]) {
        grid.fill(rect, role: .status)
        var hintText: [(String, String)] = []
        var hintWidth = 0
        // A message is read whole (its reason comes last); the hints take what room it leaves.
        let budget = message.isEmpty ? rect.width / 2 + rect.width / 4 : min(rect.width / 2 + rect.width / 4, rect.width - TextWidth.of(message) - 2)
        for h in hints {
            let w = TextWidth.of(h.key) + 1 + TextWidth.of(h.label) + 2
            if hintWidth + w > budget { break }
            hintText.append((h.key, h.label))
            hintWidth += w
        }
        let messageWidth = rect.width - hintWidth - 1
        grid.write(TextWidth.truncate(message, to: max(0, messageWidth)), x: rect.x, y: rect.y, role: messageRole,
                   maxWidth: max(0, messageWidth))
        var x = rect.x + rect.width - hintWidth
        for (k, l) in hintText {
            x += grid.write(k, x: x, y: rect.y, role: .statusKey)
            x += grid.write(" " + l + "  ", x: x, y: rect.y, role: .status)
        }
    }
}

/// A vertical list of choices with one selected (also used for the palette's matches).
public struct ChoiceList: Equatable, Sendable {
    public var options: [String]
    public private(set) var selected: Int
    public init(_ options: [String], selected: Int = 0) {
        self.options = options
        self.selected = max(0, min(selected, options.count - 1))
    }
    public mutating func handle(_ key: Key) -> Bool {
        switch key {
        case .up: selected = max(0, selected - 1)
        case .down: selected = min(options.count - 1, selected + 1)
        case .home: selected = 0
        case .end: selected = max(0, options.count - 1)
        default: return false
        }
        return true
    }
    public mutating func select(_ i: Int) { selected = max(0, min(i, options.count - 1)) }
    public var value: String? { options.indices.contains(selected) ? options[selected] : nil }

    public func render(into grid: inout Grid, rect: Rect, focused: Bool) {
        let top = max(0, selected - rect.height + 1)
        for line in 0..<rect.height {
            let i = top + line
            let role: StyleRole = i == selected ? (focused ? .selection : .selectionInactive) : .normal
            grid.fill(rect.row(line), role: role)
            if i < options.count { grid.writePadded(options[i], x: rect.x, y: rect.y + line, width: rect.width, role: role) }
        }
    }
}

/// Items each in one of several states (attendance: 出席/缺席/请假); Space cycles the state.
public struct CheckList: Equatable, Sendable {
    public var items: [String]
    public var states: [Int]
    public var stateLabels: [String]
    public private(set) var selected = 0

    public init(items: [String], stateLabels: [String], initial: Int = 0) {
        self.items = items
        self.stateLabels = stateLabels
        states = Array(repeating: initial, count: items.count)
    }

    public mutating func handle(_ key: Key) -> Bool {
        switch key {
        case .up: selected = max(0, selected - 1)
        case .down: selected = min(items.count - 1, selected + 1)
        case .char(" "):
            if states.indices.contains(selected) { states[selected] = (states[selected] + 1) % stateLabels.count }
        default: return false
        }
        return true
    }

    public func render(into grid: inout Grid, rect: Rect, focused: Bool) {
        let labelWidth = stateLabels.map { TextWidth.of($0) }.max() ?? 2
        let top = max(0, selected - rect.height + 1)
        for line in 0..<rect.height {
            let i = top + line
            let role: StyleRole = i == selected && focused ? .selection : .normal
            grid.fill(rect.row(line), role: role)
            guard i < items.count else { continue }
            let mark = "[" + TextWidth.pad(stateLabels[states[i]], to: labelWidth) + "] "
            let used = grid.write(mark, x: rect.x, y: rect.y + line, role: role)
            grid.writePadded(items[i], x: rect.x + used, y: rect.y + line, width: rect.width - used, role: role)
        }
    }
}

/// A modal dialog: a framed box over the screen with a title, wrapped lines and buttons.
public enum Dialog {
    public static func render(into grid: inout Grid, title: String, lines: [String], buttons: [String], role: StyleRole = .dialog) {
        let buttonText = buttons.map { "[ \($0) ]" }.joined(separator: "  ")
        // Wide enough for its buttons too: a cut-off button is one nobody can read.
        let width = min(grid.width - 4, max(40, (lines + [title, buttonText]).map { TextWidth.of($0) + 4 }.max() ?? 40))
        let wrapped = lines.flatMap { wrap($0, width: width - 4) }
        let height = min(grid.height - 2, wrapped.count + 4)
        let r = grid.bounds.centered(width: width, height: height)
        grid.fill(r, role: role)
        grid.box(r, role: role == .error ? .error : .border, title: title)
        for (i, l) in wrapped.prefix(height - 4).enumerated() { grid.write(l, x: r.x + 2, y: r.y + 1 + i, role: role, maxWidth: width - 4) }
        grid.write(buttonText, x: r.x + max(2, (width - TextWidth.of(buttonText)) / 2), y: r.y + height - 2, role: .accent,
                   maxWidth: width - 4)
    }

    /// Splits text into lines of at most `width` cells, breaking between characters (Chinese has no spaces).
    public static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var out: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = "", used = 0
            for c in paragraph {
                let w = TextWidth.of(c)
                if used + w > width { out.append(line); line = ""; used = 0 }
                line.append(c)
                used += w
            }
            out.append(line)
        }
        return out
    }
}

/// The "terminal too small" screen: shown instead of a layout that cannot fit.
public enum TooSmall {
    public static let minimum = (width: 80, height: 24)
    public static func render(into grid: inout Grid, message: String) {
        grid.fill(grid.bounds, role: .normal)
        let lines = Dialog.wrap(message, width: max(1, grid.width - 2))
        for (i, l) in lines.prefix(grid.height).enumerated() {
            grid.write(l, x: 1, y: max(0, grid.height / 2 - lines.count / 2) + i, role: .warning)
        }
    }
}

/// One entry of the help overlay or the command palette.
public struct ActionEntry: Equatable, Sendable {
    public var id: String
    public var keys: String
    public var label: String
    public var enabled: Bool
    public init(id: String, keys: String, label: String, enabled: Bool = true) {
        self.id = id; self.keys = keys; self.label = label; self.enabled = enabled
    }
}

/// `?`: every action of the current screen with its keys, from the action registry.
public enum HelpOverlay {
    /// Entries from `top` on, in one or two columns; a line says how many more there are below.
    public static func render(into grid: inout Grid, title: String, entries: [ActionEntry], top: Int = 0, footer: String) {
        let r = grid.bounds.inset(2)
        grid.fill(r, role: .dialog)
        grid.box(r, title: title)
        let keyWidth = min(16, (entries.map { TextWidth.of($0.keys) }.max() ?? 4) + 1)
        let columns = r.width >= 100 ? 2 : 1
        let columnWidth = (r.width - 4) / columns
        let perColumn = max(1, r.height - 4)
        let shown = entries.dropFirst(top).prefix(perColumn * columns)
        for (i, e) in shown.enumerated() {
            let x = r.x + 2 + (i / perColumn) * columnWidth
            let y = r.y + 1 + i % perColumn
            let role: StyleRole = e.enabled ? .dialog : .dim
            grid.writePadded(e.keys, x: x, y: y, width: keyWidth, role: e.enabled ? .accent : .dim)
            grid.writePadded(e.label, x: x + keyWidth + 1, y: y, width: columnWidth - keyWidth - 2, role: role)
        }
        let below = entries.count - top - shown.count
        let more = below > 0 ? "↓ \(below) … " : (top > 0 ? "↑ " : "")
        grid.write(more + footer, x: r.x + 2, y: r.y + r.height - 2, role: .dim, maxWidth: r.width - 4)
    }
}

/// `:`: type to filter actions, Enter runs the selected one.
public struct Palette: Equatable, Sendable {
    public var field = TextField()
    public var list = ChoiceList([])
    public private(set) var matches: [ActionEntry] = []

    public init() {}

    public mutating func update(entries: [ActionEntry]) {
        let query = field.text.lowercased()
        matches = entries.filter { $0.enabled && (query.isEmpty || $0.label.lowercased().contains(query) || $0.id.contains(query)) }
        list = ChoiceList(matches.map { "\($0.label)  \($0.keys)" }, selected: list.selected)
    }

    public var selectedAction: ActionEntry? { matches.indices.contains(list.selected) ? matches[list.selected] : nil }

    public mutating func render(into grid: inout Grid, title: String) -> (x: Int, y: Int) {
        let r = Rect(x: grid.width / 6, y: 2, width: grid.width * 2 / 3, height: min(grid.height - 4, 16))
        grid.fill(r, role: .dialog)
        grid.box(r, title: title)
        grid.write(":", x: r.x + 2, y: r.y + 1, role: .accent)
        let x = field.render(into: &grid, rect: Rect(x: r.x + 4, y: r.y + 1, width: r.width - 6, height: 1), role: .inputFocused)
        list.render(into: &grid, rect: Rect(x: r.x + 2, y: r.y + 3, width: r.width - 4, height: r.height - 4), focused: true)
        return (x, r.y + 1)
    }
}
