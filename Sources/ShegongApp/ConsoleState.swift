import ShegongDomain
import ShegongTerminal

/// What covers the screen above the current tab.
public enum Overlay: Equatable, Sendable {
    case help(top: Int)
    case palette(Palette)
    case form(FormState)
    /// A record opened full-screen, from the screen under it; rebuilt whenever the log grows.
    case detail(Detail)
    case confirmLeave(FormState)
    case confirmQuit
    /// A new person who may already be registered: the matches, before saving anyway.
    case confirmDuplicate(FormState, matches: [String])
    case restoreDraft(DraftStore.Draft)
    /// Naming the list's filter and sort as a saved view.
    case nameView(TextField)
}

/// Where a list stands: the record the user picked (followed when the list re-sorts or grows),
/// the row it was on (used when that record leaves the list) and the first row on screen.
public struct Selection: Equatable, Sendable {
    public var subject: String?
    public var row = 0
    public var top = 0
}

public struct SortOrder: Equatable, Sendable {
    public var column: Int
    public var ascending: Bool
}

/// Everything the console shows that is not the log itself: a value, so a test can build one,
/// send an action and compare the whole result.
public struct ConsoleState: Equatable, Sendable {
    public var screen: Screen = .home
    public var overlays: [Overlay] = []
    public var status = ""
    public var statusRole: StyleRole = .status
    public var quitRequested = false
    public var selections: [Screen: Selection] = [:]
    public var sorts: [Screen: SortOrder] = [:]
    public var filters: [Screen: TextField] = [:]
    public var filtering = false
    /// The filter opened over an earlier one: the first character typed replaces it.
    public var filterFresh = false
    public var reportMonth: Day
    /// The site the report is for (nil: the whole store); figures roll up over the sites below it.
    public var reportSite: String?
    public var unmasked: Set<String> = []
    /// Records marked on each screen (Space), in the order marked: the next form acts on all.
    public var marks: [Screen: [String]] = [:]
    public var damageAnnounced = false
    /// The terminal's size, for page movement and for the too-small screen.
    public var width = 120
    public var height = 40
    /// The places the user went, oldest first, and where in them the user stands (back/forward).
    public var history: [Place] = [Place(screen: .home)]
    public var historyAt = 0
    /// The user's saved views, on F1–F8.
    public var views: [SavedView] = []
    /// What this session saved that `z` can take back, newest last.
    public var undoStack: [UndoStep] = []

    public init(today: Day) { reportMonth = today.firstOfMonth }

    public var tooSmall: Bool { width < TooSmall.minimum.width || height < TooSmall.minimum.height }
    public var openDetail: Detail? {
        if case .detail(let d)? = overlays.last { return d }
        return nil
    }
    public var selection: Selection { selections[screen] ?? Selection() }

    mutating func setStatus(_ text: String, _ role: StyleRole) {
        status = text
        statusRole = role
    }
}

/// Something that happened: a key, a command from the palette, or the answer of an effect.
public enum Action: Equatable, Sendable {
    case key(Key)
    case command(Command)
    case resized(width: Int, height: Int)
    /// The log was read again: `newRecords` arrived from other processes; `damaged` if a check found damage.
    case followed(newRecords: Int, damaged: Bool)
    case saved(FormState, subjects: [String], undo: [Compensation] = [])
    case undone(UndoStep)
    /// `final`: the step cannot be done any more (someone changed the record since).
    case undoFailed(UndoStep, reason: String, final: Bool)
    case saveFailed(FormState, SaveFailure)
    /// The access record for opening a restricted case (`what` "case") or unmasking is written.
    case accessRecorded(subject: String, what: String)
    case accessNotRecorded(reason: String)
    case exported(path: String?)
}

public enum SaveFailure: Equatable, Sendable {
    /// Someone saved the record since the form opened; `version` is its version now.
    case conflict(version: Int)
    case refused(String)
}

/// Work the reducer asks for and the console's runner does: everything that writes.
public enum Effect: Equatable, Sendable {
    /// Builds the form's events and appends them; answers `.saved` or `.saveFailed`.
    case save(FormState)
    /// Appends an access record; answers `.accessRecorded` or `.accessNotRecorded`. What it
    /// guards is shown only after the record is written.
    case recordAccess(subject: String, what: String)
    /// A new file in the user's home; answers `.exported`.
    case export(text: String, fileName: String)
    case saveDraft(DraftStore.Draft)
    case clearDraft
    /// Keeps the user's saved views for their next session.
    case saveViews([SavedView])
    /// Appends the step's compensating events; answers `.undone` or `.undoFailed`.
    case undo(UndoStep)
}

/// One save, as `z` takes it back: what it was (for the message) and the events that undo it.
public struct UndoStep: Equatable, Sendable {
    public var label: String
    public var compensations: [Compensation]
}
