import ShegongDomain
import ShegongTerminal

/// Where the user is: a screen, and the record opened on it.
public struct Place: Equatable, Sendable {
    public var screen: Screen
    public var record: String?
    public init(screen: Screen, record: String? = nil) {
        self.screen = screen
        self.record = record
    }
}

/// A list's filter and sort, named and put on a function key, kept per account and per store.
public struct SavedView: Equatable, Sendable {
    public var slot: Int
    public var name: String
    public var screen: Screen
    public var filter: String
    public var sort: SortOrder?
    public static let slots = 1...8
}

/// The saved views' file in the user's own state directory (beside the drafts).
public struct ViewStore: Sendable {
    let file: UserStateFile

    public static func forStore(_ storePath: String) -> ViewStore? {
        UserStateFile.forStore(storePath, kind: "views").map { ViewStore(path: $0.path) }
    }

    public init(path: String) { file = UserStateFile(path: path) }

    public func save(_ views: [SavedView]) {
        file.write(.array(views.map { v in
            var fields = ["slot": String(v.slot), "name": v.name, "screen": String(v.screen.rawValue), "filter": v.filter]
            if let sort = v.sort { fields["sort"] = "\(sort.column)\(sort.ascending ? "+" : "-")" }
            return UserStateFile.object(fields)
        }))
    }

    /// What was saved; anything unreadable (a hand-edited or damaged file) is left out.
    public func load() -> [SavedView] {
        guard case .array(let items)? = file.read() else { return [] }
        return items.compactMap { item in
            let f = UserStateFile.strings(item)
            guard let slot = f["slot"].flatMap(Int.init), SavedView.slots.contains(slot), let name = f["name"], !name.isEmpty,
                  let screen = f["screen"].flatMap(Int.init).flatMap(Screen.init(rawValue:)), screen.hasList else { return nil }
            let sort = f["sort"].flatMap { s -> SortOrder? in
                guard let column = Int(s.dropLast()), column >= 0 else { return nil }
                return SortOrder(column: column, ascending: s.last == "+")
            }
            return SavedView(slot: slot, name: String(name.prefix(40)), screen: screen, filter: String((f["filter"] ?? "").prefix(200)), sort: sort)
        }
    }
}

extension ConsoleReducer {
    static let historyLimit = 100

    /// The screen and the record open on it, whatever covers it (a form or help over a record
    /// does not make a new place).
    static func place(_ s: ConsoleState) -> Place {
        let detail = s.overlays.last { if case .detail = $0 { return true }; return false }
        guard case .detail(let d)? = detail, !d.subject.isEmpty else { return Place(screen: s.screen) }
        return Place(screen: s.screen, record: d.subject)
    }

    /// After every action: a new place goes after the current one (what was ahead is dropped, as
    /// in a browser); coming back to a place already there changes nothing.
    static func recordPlace(_ s: inout ConsoleState) {
        let here = place(s)
        guard s.history.indices.contains(s.historyAt), s.history[s.historyAt] != here else { return }
        s.history = Array(s.history.prefix(s.historyAt + 1)) + [here]
        if s.history.count > historyLimit { s.history.removeFirst(s.history.count - historyLimit) }
        s.historyAt = s.history.count - 1
    }

    /// Back (-1) or forward (+1) through the places the user went; a record is opened again
    /// under the same rules as Enter (a restricted case only once its access record is written).
    static func goThroughHistory(_ s: inout ConsoleState, by delta: Int, _ data: ConsoleData) -> [Effect] {
        let t = data.strings
        let target = s.historyAt + delta
        guard s.history.indices.contains(target) else {
            s.setStatus(delta < 0 ? (t.chinese ? "已是最早的位置" : "Nothing further back") : (t.chinese ? "已是最新的位置" : "Nothing further forward"), .warning)
            return []
        }
        s.historyAt = target
        let place = s.history[target]
        show(&s, place.screen, data)
        guard let record = place.record else { return [] }
        if let row = data.row(of: record, place.screen, s) { select(&s, data, row: row) }
        let effects = openRecord(&s, record, data)
        if effects.isEmpty, s.openDetail == nil { s.setStatus(t.chinese ? "这条记录已不可查看" : "That record can no longer be shown", .warning) }
        return effects
    }

    static func openRecord(_ s: inout ConsoleState, _ subject: String, _ data: ConsoleData) -> [Effect] {
        // A restricted case is opened (and its access recorded) only by whom it is for.
        if let c = data.state.caseFile(subject), c.isRestricted {
            return Policy.caseFile(c, for: data.viewer, in: data.state) == .full ? [.recordAccess(subject: subject, what: "case")] : []
        }
        if let d = data.detail(subject, s) { s.overlays.append(.detail(d)) }
        return []
    }

    // MARK: Saved views

    static func startNamingView(_ s: inout ConsoleState, _ data: ConsoleData) {
        let current = s.views.first { $0.screen == s.screen && $0.filter == (s.filters[s.screen]?.text ?? "") && $0.sort == s.sorts[s.screen] }
        s.overlays.append(.nameView(TextField(current?.name ?? (s.filters[s.screen]?.text ?? ""))))
    }

    static func reduceNameViewKey(_ s: inout ConsoleState, _ field: TextField, _ key: Key, _ data: ConsoleData) -> [Effect] {
        let t = data.strings
        var field = field
        switch key {
        case .escape:
            s.overlays.removeLast()
        case .ctrl("d"):
            s.overlays.removeLast()
            let name = field.text.trimmingSpaces
            guard let gone = s.views.first(where: { $0.name == name }) else { return [] }
            s.views.removeAll { $0.name == name }
            s.setStatus(t.chinese ? "已删除视图 F\(gone.slot)「\(name)」" : "Deleted view F\(gone.slot) “\(name)”", .ok)
            return [.saveViews(s.views)]
        case .enter:
            let name = String(field.text.trimmingSpaces.prefix(40))
            guard !name.isEmpty else { s.overlays.removeLast(); return [] }
            let used = Set(s.views.map(\.slot))
            guard let slot = s.views.first(where: { $0.name == name })?.slot ?? SavedView.slots.first(where: { !used.contains($0) }) else {
                s.setStatus(t.chinese ? "F1–F8 都已有视图:输入已有视图的名称以替换它,或 Ctrl-D 删除" : "F1–F8 are all taken: type an existing view's name to replace it, or Ctrl-D to delete", .warning)
                return []
            }
            s.overlays.removeLast()
            s.views.removeAll { $0.slot == slot }
            s.views.append(SavedView(slot: slot, name: name, screen: s.screen, filter: s.filters[s.screen]?.text ?? "", sort: s.sorts[s.screen]))
            s.views.sort { $0.slot < $1.slot }
            s.setStatus(t.chinese ? "已保存视图 F\(slot)「\(name)」" : "Saved view F\(slot) “\(name)”", .ok)
            return [.saveViews(s.views)]
        default:
            field.handle(key)
            s.overlays[s.overlays.count - 1] = .nameView(field)
        }
        return []
    }

    static func openView(_ s: inout ConsoleState, slot: Int, _ data: ConsoleData) {
        let t = data.strings
        guard let view = s.views.first(where: { $0.slot == slot }) else {
            s.setStatus(t.chinese ? "F\(slot) 还没有视图:在列表上筛选、排序后按 V 保存" : "No view on F\(slot): filter and sort a list, then V saves it", .warning)
            return
        }
        show(&s, view.screen, data)
        s.filters[view.screen] = view.filter.isEmpty ? nil : TextField(view.filter)
        // A sort saved for columns the screen no longer has (or a hand-edited file) is dropped.
        let columns = view.screen.list(today: data.today)?.columns(data.strings).count ?? 0
        s.sorts[view.screen] = view.sort.flatMap { $0.column < columns ? $0 : nil }
        select(&s, data, row: 0)
        s.setStatus((t.chinese ? "视图 F\(slot):" : "View F\(slot): ") + view.name + " · \(data.rowCount(view.screen, s))", .ok)
    }
}
