#if canImport(Glibc)
import Glibc
#endif
import ShegongDomain
import ShegongStore
import ShegongTerminal

/// The console: its state, the data it reads, and the runner for the effects the reducer asks
/// for (appends, access records, drafts, exports). It never touches a terminal; the backend does.
public final class Console {
    public private(set) var ui: ConsoleState
    public let data: ConsoleData
    let drafts: DraftStore?
    let views: ViewStore?
    let makeContext: () -> EventContext

    public init(store: Store, strings: Strings, actor: String, today: Day, drafts: DraftStore?, views: ViewStore? = nil,
                makeContext: @escaping () -> EventContext) {
        data = ConsoleData(store: store, strings: strings, actor: actor, today: today)
        ui = ConsoleState(today: today)
        ui.views = views?.load() ?? []
        self.drafts = drafts
        self.views = views
        self.makeContext = makeContext
        if let reason = store.readOnlyReason {
            ui.damageAnnounced = store.damage != nil
            ui.setStatus("\(strings[.readOnly]): \(Messages.store(reason, strings))", .warning)
        }
        if let draft = drafts?.load(), Forms.spec(draft.form) != nil { ui.overlays = [.restoreDraft(draft)] }
    }

    public var store: Store { data.store }
    public var strings: Strings { data.strings }
    public var screen: Screen { ui.screen }
    public var overlays: [Overlay] { ui.overlays }
    public var status: String { ui.status }
    public var statusRole: StyleRole { ui.statusRole }
    public var quitRequested: Bool { ui.quitRequested }
    public var deferMonthFigures: Bool {
        get { data.deferMonthFigures }
        set { data.deferMonthFigures = newValue }
    }

    public func setStatus(_ text: String, role: StyleRole) { ui.setStatus(text, role) }

    /// Runs an action through the reducer, then its effects, feeding their answers back in.
    public func send(_ action: Action) {
        var pending = [action]
        while !pending.isEmpty {
            let next = pending.removeFirst()
            for effect in ConsoleReducer.reduce(&ui, next, data) {
                if let answer = run(effect) { pending.append(answer) }
            }
        }
    }

    public func handle(_ key: Key) { send(.key(key)) }

    /// Reads records other processes appended; returns true when the screen should be redrawn.
    @discardableResult
    public func follow() -> Bool {
        let before = data.state.eventCount
        var failure: String?
        do { try store.refresh() } catch { failure = describe(error) }
        // Asking for the read-only reason collects the background check's finding first.
        let damaged = store.readOnlyReason != nil && store.damage != nil
        let n = data.state.eventCount - before
        let wasAnnounced = ui.damageAnnounced
        if n > 0 || (damaged && !wasAnnounced) { send(.followed(newRecords: n, damaged: damaged)) }
        if let failure, !damaged { ui.setStatus(failure, .error) }
        return n > 0 || ui.damageAnnounced != wasAnnounced
    }

    public func render(width: Int, height: Int) -> Grid {
        if ui.width != width || ui.height != height { send(.resized(width: width, height: height)) }
        return ConsoleView.render(ui, data)
    }

    // MARK: Effects

    func run(_ effect: Effect) -> Action? {
        switch effect {
        case .save(let form): return save(form)
        case .recordAccess(let subject, let what):
            do {
                try store.append { _ in
                    [self.makeContext().event("access.viewed", subject: subject, body: .object([JSONField("what", .string(what))]))]
                }
                return .accessRecorded(subject: subject, what: what)
            } catch {
                return .accessNotRecorded(reason: describe(error))
            }
        case .export(let text, let fileName): return .exported(path: writeExport(text, named: fileName))
        case .saveDraft(let draft):
            drafts?.save(draft)
            return nil
        case .clearDraft:
            drafts?.clear()
            return nil
        case .saveViews(let saved):
            views?.save(saved)
            return nil
        case .undo(let step):
            do {
                try store.append { _ in
                    step.compensations.map { c in self.makeContext().event(c.type, subject: c.subject, base: c.versionAfter, body: c.body) }
                }
                return .undone(step)
            } catch DomainError.conflict {
                return .undoFailed(step, reason: strings.chinese ? "记录在你保存之后已被修改,请直接修改它" : "the record changed after your save; edit it instead",
                                   final: true)
            } catch {
                return .undoFailed(step, reason: describe(error), final: false)
            }
        }
    }

    func save(_ form: FormState) -> Action {
        guard let spec = Forms.spec(form.name) else { return .saveFailed(form, .refused(form.name)) }
        do {
            // Hours for several volunteers at once are one record each, saved together. What
            // would undo each is worked out on the state it changes, under the same lock.
            var undo: [Compensation] = []
            let written = try store.append { state in
                let events = try Forms.buildAll(spec, values: form.values, state: state, context: self.makeContext())
                var scratch = state
                undo = events.compactMap { e in
                    let previous = e.type == "visit.amended" ? scratch.visit(e.subject).flatMap { try? self.store.record(at: $0.offset).event.body } : nil
                    defer { scratch.apply(e, offset: 0) }
                    return scratch.compensation(for: e, previous: previous)
                }
                if undo.count != events.count { undo = [] }  // all of a save or none of it
                return events
            }
            return .saved(form, subjects: written.map(\.subject), undo: undo)
        } catch DomainError.conflict(_, _, let actual, _) {
            return .saveFailed(form, .conflict(version: actual))
        } catch let error as DomainError {
            return .saveFailed(form, .refused(error.text(chinese: strings.chinese, form: form.name)))
        } catch {
            return .saveFailed(form, .refused(describe(error)))
        }
    }

    func describe(_ error: Error) -> String {
        if let e = error as? DomainError { return Messages.domain(e, strings) }
        if let e = error as? StoreError { return Messages.store(e, strings) }
        return "\(error)"
    }

    /// Exports go to the user's home as new files (never over an existing file or through a
    /// symlink), written with the setgid group privilege put down. Returns the path written.
    func writeExport(_ text: String, named name: String) -> String? {
        let home = getenv("HOME").map { String(cString: $0) } ?? "/tmp"
        let dot = name.lastIndex(of: ".") ?? name.endIndex
        return try? GroupPrivilege.droppedWhile { () throws -> String? in
            for n in 1...99 {
                let path = "\(home)/\(name[..<dot])\(n == 1 ? "" : "-\(n)")\(name[dot...])"
                let fd: Int32
                do { fd = try SafeFile.createNew(path, mode: 0o600) } catch StoreError.alreadyExists { continue }
                defer { close(fd) }
                var t = text
                let failed = t.withUTF8 { SafeFile.writeAll(fd, UnsafeRawBufferPointer($0)) } != nil || fsync(fd) != 0
                return failed ? nil : path
            }
            return nil
        } ?? nil
    }

    // MARK: For tests and benchmarks

    var state: State { data.state }
    func currentRows(_ spec: ListSpec) -> FilteredRows { data.listRows(ui.screen, ui) }
    var currentReport: Report { data.report(ui) }
    var homeRows: [ConsoleData.HomeRow] { data.homeRows }
    func subject(of row: ConsoleData.HomeRow) -> String { data.subject(of: row) }
}

/// Error messages in the user's language.
enum Messages {
    static func domain(_ e: DomainError, _ t: Strings) -> String { e.text(chinese: t.chinese) }

    static func store(_ e: StoreError, _ t: Strings) -> String {
        guard t.chinese else { return e.description }
        switch e {
        case .diskFull: return "磁盘已满,未保存任何内容;请释放空间后再按 Ctrl-S(输入已保留)"
        case .readOnly: return "数据文件只读,无法保存(输入已保留)"
        case .permissionDenied: return "没有写入权限(输入已保留)"
        case .damaged(_, let d): return "数据文件在第 \(d.recordNumber) 条记录处损坏,已转为只读;请联系站长运行 shegong repair"
        case .fsyncFailed: return "磁盘未确认写入,本次未保存;请重新打开程序"
        case .recordTooLarge(let bytes, let limit): return "这条记录有 \(bytes / 1024) KiB,超过单条 \(limit / 1024) KiB 的上限,未保存(输入已保留)"
        default: return e.description
        }
    }

}
