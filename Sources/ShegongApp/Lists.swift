import Synchronization
#if canImport(Glibc)
import Glibc
#endif
import ShegongDomain
import ShegongTerminal

/// The console's screens, in tab order (keys 1–9, 0, then the shifted digits ! @ #).
public enum Screen: Int, CaseIterable, Sendable {
    case home, visits, people, cases, groups, volunteers, caseload, reports, projects, funds
    case organisations, talent, wishes

    /// The key that goes to the screen: 1–9, then 0 for the tenth, then the shifted digits
    /// (! @ #) for the hub's people and groups, as on the row of keys above them.
    public var key: Character {
        rawValue < 10 ? Character(String((rawValue + 1) % 10)) : Array("!@#")[rawValue - 10]
    }

    public var title: Text {
        switch self {
        case .home: .home
        case .visits: .visits
        case .people: .people
        case .cases: .cases
        case .groups: .groups
        case .volunteers: .volunteers
        case .caseload: .caseload
        case .reports: .reports
        case .projects: .projects
        case .funds: .funds
        case .organisations: .organisations
        case .talent: .talent
        case .wishes: .wishes
        }
    }
}

/// A screen's list: which records (as indexes into the state's arrays) in which order, how
/// each becomes a row, and what a query matches. Rows are built only for what is on screen.
struct ListSpec {
    var columns: (Strings) -> [Column]
    var indices: (State) -> [Int32]
    /// For a viewer, whether each record may be listed at all (the policy decides). A factory, so
    /// a list can work out once what every record would otherwise ask again (per person, say).
    var visible: (State, Viewer) -> (Int32) -> Bool
    var row: (State, Viewer, Int32, Strings) -> [String]
    /// For a viewer, each record's text for filter-as-you-type. A factory, like `visible`, so a
    /// long list can make what many records share (a person's name and initials) once.
    var haystack: (State, Viewer) -> (Int32) -> String
    var subject: (State, Int32) -> String
    /// For a long list, a column's order as numbers: given the column, a function from a record
    /// to a key that orders exactly as the column's text does (ties equal). nil: sort by text.
    var sortKey: ((State, Viewer, Strings, Int) -> ((Int32) -> UInt32)?)? = nil
}

/// The order lists sort text in: by UTF-8 bytes, except that runs of digits compare as numbers,
/// so P-2 comes before P-10 (and 弹子石-2026-0009 before 弹子石-2026-0010, as before).
func textPrecedes(_ x: [UInt8], _ y: [UInt8]) -> Bool {
    func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    var i = 0, j = 0
    while i < x.count, j < y.count {
        if isDigit(x[i]), isDigit(y[j]) {
            var ei = i, ej = j
            while ei < x.count, isDigit(x[ei]) { ei += 1 }
            while ej < y.count, isDigit(y[ej]) { ej += 1 }
            var si = i, sj = j
            while si < ei - 1, x[si] == 0x30 { si += 1 }
            while sj < ej - 1, y[sj] == 0x30 { sj += 1 }
            if ei - si != ej - sj { return ei - si < ej - sj }
            for k in 0..<(ei - si) where x[si + k] != y[sj + k] { return x[si + k] < y[sj + k] }
            if ei - i != ej - j { return ei - i < ej - j }  // equal numbers: fewer leading zeros first
            i = ei; j = ej
            continue
        }
        if x[i] != y[j] { return x[i] < y[j] }
        i += 1; j += 1
    }
    return x.count - i < y.count - j
}

/// Ranks of texts in the order the list sorts text (`textPrecedes`), equal texts equal ranks.
/// The last few answers are kept: a colleague's visit re-sorts a list sorted by person, and the
/// 200,000 names it ranks are the same names as a moment ago (compared at the cost of a pointer
/// each, since they share their storage with the state's).
func textRanks(_ texts: [String]) -> [UInt32] {
    if let known = RankMemo.shared.ranks(of: texts) { return known }
    let ranks = computeTextRanks(texts)
    RankMemo.shared.keep(texts, ranks)
    return ranks
}

/// The last few `textRanks` answers, for lists long enough to be worth it.
final class RankMemo: Sendable {
    static let shared = RankMemo()
    private let entries = Mutex<[(texts: [String], ranks: [UInt32])]>([])
    static let worthKeeping = 10_000

    func ranks(of texts: [String]) -> [UInt32]? {
        guard texts.count >= Self.worthKeeping else { return nil }
        return entries.withLock { list in list.first { $0.texts == texts }?.ranks }
    }

    func keep(_ texts: [String], _ ranks: [UInt32]) {
        guard texts.count >= Self.worthKeeping else { return }
        entries.withLock { list in
            list.insert((texts, ranks), at: 0)
            if list.count > 3 { list.removeLast() }
        }
    }
}

func computeTextRanks(_ texts: [String]) -> [UInt32] {
    // Each text's bytes once, then byte comparisons: 100,000 names sort in tens of milliseconds.
    let bytes = texts.map { Array($0.utf8) }
    let order = bytes.indices.sorted { a, b in textPrecedes(bytes[a], bytes[b]) }
    var ranks = [UInt32](repeating: 0, count: texts.count)
    var rank: UInt32 = 0
    for (k, i) in order.enumerated() {
        if k > 0, texts[i] != texts[order[k - 1]] { rank += 1 }
        // An empty cell is 0, the key of "no value" too: both sort first, as equals.
        ranks[i] = texts[i].isEmpty ? 0 : rank + 1
    }
    return ranks
}

extension Screen {
    /// Whether the screen is a list (saved views and sorting are for lists).
    var hasList: Bool { list(today: Day(number: 0)) != nil }

    /// The screen's list as of `today` (the talent pool's hours are counted over the twelve months to it).
    func list(today: Day) -> ListSpec? {
        switch self {
        case .visits:
            return ListSpec(
                columns: { t in [Column(t[.colDate], width: 10), Column(t[.colPerson], width: 12), Column(t[.colMode], width: t.chinese ? 10 : 12),
                                 Column(t[.colWorker], width: 10), Column(t[.colCase], width: 16), Column(t[.colFollowUp], width: 10)] },
                indices: { s in Array((0..<Int32(s.visits.count)).reversed()) },
                visible: { s, v in
                    let allowed = s.people.map { Policy.person($0, for: v, in: s) >= .summary }
                    return { i in let p = s.visits[Int(i)].person; return p >= 0 && allowed[Int(p)] }
                },
                row: { s, viewer, i, t in
                    let v = s.visits[Int(i)]
                    // A case the viewer may not know about is left blank, as if there were none.
                    let linked = v.caseIndex >= 0 ? s.cases[Int(v.caseIndex)] : nil
                    return [v.day.iso, v.person >= 0 ? s.people[Int(v.person)].name : "?", v.mode.label(chinese: t.chinese), s.staffName(v.worker),
                            linked.flatMap { Policy.linkedCaseShown($0, for: viewer, in: s) ? $0.number : nil } ?? "", v.followUp?.iso ?? ""]
                },
                haystack: { s, _ in
                    // 660,000 visits name about 100,000 people, a few dozen workers and a few
                    // thousand days: each person's name and initials (both readings, as on the
                    // people list), each worker's and each day's text are made once, not per visit.
                    var people = [String?](repeating: nil, count: s.people.count)
                    var workers: [String: String] = [:]
                    var days: [Int32: String] = [:]
                    return { i in
                        let (person, day, worker, id) = (s.visits[Int(i)].person, s.visits[Int(i)].day, s.visits[Int(i)].worker, s.visits[Int(i)].id)
                        let date = days[day.number] ?? { let text = day.iso; days[day.number] = text; return text }()
                        let who = worker.isEmpty ? "" : workers[worker] ?? {
                            let text = "\(worker) \(s.staff[worker]?.name ?? "")"
                            workers[worker] = text
                            return text
                        }()
                        var named = ""
                        if person >= 0 {
                            if let known = people[Int(person)] {
                                named = known
                            } else {
                                let name = s.people[Int(person)].name
                                named = "\(name) \(Pinyin.nameInitials(name).joined(separator: " "))"
                                people[Int(person)] = named
                            }
                        }
                        return "\(date) \(named) \(who) \(id)"
                    }
                },
                subject: { s, i in s.visits[Int(i)].id },
                // 660,000 visits: keys by number, so a sort (and a colleague's visit on a sorted
                // list) costs an integer sort, not a row of text per visit.
                sortKey: { s, viewer, t, column in
                    switch column {
                    case 0: return { s.visits[Int($0)].day.number.orderKey }
                    case 1:
                        let names = textRanks(s.people.map(\.name))
                        return { let p = s.visits[Int($0)].person; return p >= 0 ? names[Int(p)] : 0 }
                    case 2:
                        let modes = VisitMode.allCases
                        let ranks = textRanks(modes.map { $0.label(chinese: t.chinese) })
                        return { ranks[modes.firstIndex(of: s.visits[Int($0)].mode)!] }
                    case 3:
                        let accounts = Array(Set(s.visits.map(\.worker)))
                        let ranks = Dictionary(uniqueKeysWithValues: zip(accounts, textRanks(accounts.map(s.staffName))))
                        return { ranks[s.visits[Int($0)].worker] ?? 0 }
                    case 4:
                        let numbers = textRanks(s.cases.map { Policy.linkedCaseShown($0, for: viewer, in: s) ? $0.number : "" })
                        return { let c = s.visits[Int($0)].caseIndex; return c >= 0 ? numbers[Int(c)] : 0 }
                    case 5: return { s.visits[Int($0)].followUp.map { $0.number.orderKey } ?? 0 }
                    default: return nil
                    }
                })
        case .people:
            return ListSpec(
                columns: { t in [Column("ID", width: 8), Column(t[.colName], width: 10), Column(t[.colCommunity], width: 12),
                                 Column(t[.colTier], width: t.chinese ? 8 : 9), Column(t[.colLastVisit], width: 10), Column(t[.colNextDue], width: 10),
                                 Column(t[.address])] },
                indices: { s in Array(0..<Int32(s.people.count)) },
                visible: { s, v in { i in Policy.person(s.people[Int(i)], for: v, in: s) >= .taskCard } },
                row: { s, v, i, t in
                    let p = s.people[Int(i)]
                    return [p.id, p.name, s.site(p.community)?.name ?? p.community, p.tier.label(chinese: t.chinese),
                            s.lastVisits[Int(i)]?.iso ?? "-", s.nextVisitDue(of: Int(i)).iso, p.address]
                },
                haystack: { s, v in { i in
                    let p = s.people[Int(i)]
                    return "\(p.id) \(p.name) \(Pinyin.nameInitials(p.name).joined(separator: " ")) \(p.address) \(p.categories.joined())"
                } },
                subject: { s, i in s.people[Int(i)].id })
        case .cases:
            return ListSpec(
                columns: { t in [Column(t[.colCase], width: 16), Column(t[.colPerson], width: 10), Column(t[.colStage], width: t.chinese ? 10 : 12),
                                 Column(t[.colRisk], width: t.chinese ? 8 : 9), Column(t[.colWorker], width: 10), Column(t[.colOpened], width: 10),
                                 Column(t[.colContacts], width: 8, alignRight: true)] },
                indices: { s in
                    // Open cases first (closure requests on top), then closed, newest first within each.
                    let order: (CaseFile) -> Int = { $0.stage == .closing ? 0 : $0.isOpen ? 1 : 2 }
                    return (0..<Int32(s.cases.count)).sorted { a, b in
                        let ca = s.cases[Int(a)], cb = s.cases[Int(b)]
                        return order(ca) != order(cb) ? order(ca) < order(cb) : a > b
                    }
                },
                visible: { s, v in { i in Policy.caseFile(s.cases[Int(i)], for: v, in: s) >= .summary } },
                row: { s, v, i, t in
                    let c = s.cases[Int(i)]
                    return [c.number, Policy.personNameShown(on: c, for: v, in: s) ? s.people[Int(c.person)].name : "***", c.stage.label(chinese: t.chinese),
                            c.risk?.label(chinese: t.chinese) ?? "", s.staffName(c.worker), c.openedOn.iso,
                            String(c.contactDays.count)]
                },
                haystack: { s, v in { i in
                    let c = s.cases[Int(i)]
                    let name = Policy.personNameShown(on: c, for: v, in: s) ? s.people[Int(c.person)].name : ""
                    let worker = s.staffName(c.worker)
                    return "\(c.number) \(c.id) \(name) \(Pinyin.nameInitials(name).joined(separator: " ")) \(c.worker) \(worker) \(Pinyin.initials(worker)) \(c.stage.zh) \(c.stage.en)"
                } },
                subject: { s, i in s.cases[Int(i)].id })
        case .groups:
            return ListSpec(
                columns: { t in [Column("ID", width: 6), Column(t[.colGroup]), Column(t[.colKind], width: 6),
                                 Column(t[.colSessions], width: 6, alignRight: true), Column(t[.colMembers], width: 6, alignRight: true),
                                 Column(t[.colWorker], width: 10)] },
                indices: { s in Array((0..<Int32(s.groups.count)).reversed()) },
                visible: { _, v in { _ in Policy.groups(for: v) > .none } },
                row: { s, v, i, t in
                    let g = s.groups[Int(i)]
                    return [g.id, g.name, g.kind.label(chinese: t.chinese), "\(g.sessions.count)/\(g.plannedSessions)",
                            String(g.members.count), s.staffName(g.worker)]
                },
                haystack: { s, v in { i in let g = s.groups[Int(i)]; return "\(g.id) \(g.name) \(g.worker)" } },
                subject: { s, i in s.groups[Int(i)].id })
        case .volunteers:
            return ListSpec(
                columns: { t in [Column("ID", width: 7), Column(t[.colName], width: 10), Column(t[.colTeam], width: 14),
                                 Column(t[.colSkills]), Column(t[.colHours], width: 7, alignRight: true),
                                 Column(t[.colStars], width: 6), Column(t[.colBalance], width: t.chinese ? 8 : 9, alignRight: true)] },
                indices: { s in Array(0..<Int32(s.volunteers.count)) },
                visible: { _, v in { _ in Policy.volunteers(for: v) >= .summary } },
                row: { s, _, i, _ in
                    let v = s.volunteers[Int(i)]
                    let hours = s.certifiedHours(i)
                    let stars = Volunteer.stars(hours: hours)
                    return [v.id, v.name + (v.backbone ? " *" : ""), v.team, v.skills.joined(separator: "、"), formatHours(hours),
                            stars == 0 ? "-" : String(repeating: "*", count: stars), formatHours(s.timeBankBalance(i))]
                },
                haystack: { s, v in { i in
                    let v = s.volunteers[Int(i)]
                    return "\(v.id) \(v.name) \(Pinyin.nameInitials(v.name).joined(separator: " ")) \(v.team) \(v.skills.joined())"
                } },
                subject: { s, i in s.volunteers[Int(i)].id })
        case .projects: return HubLists.projects
        case .funds: return HubLists.ledger
        case .organisations: return CommunityLists.organisations
        case .talent: return CommunityLists.talent(today: today)
        case .wishes: return CommunityLists.wishes
        case .home, .caseload, .reports:
            return nil
        }
    }
}

/// The rows a screen shows for a query, cached: moving the selection reuses them, typing one
/// more character narrows the previous result instead of scanning everything again.
/// Every visible record's search text, lower-cased, in one byte buffer: a keystroke of
/// filter-as-you-type is then a scan for bytes, not 100,000 string operations.
struct SearchText {
    var bytes: [UInt8] = []
    var starts: [Int] = []       // record k's text is bytes[starts[k]..<starts[k+1]]
    var records: [Int32] = []
    /// How often each byte value occurs in `bytes`: a search looks for the needle's rarest byte
    /// first. A Chinese character's first byte is one of a few (most are E4-E9), so looking for
    /// it stopped every few bytes; its last is one of 64.
    var frequency = [Int](repeating: 0, count: 256)

    init() {}

    init(_ spec: ListSpec, state: State, viewer: Viewer, records: [Int32]) {
        self.records = records
        starts.reserveCapacity(records.count + 1)
        bytes.reserveCapacity(records.count * 48)
        let text = spec.haystack(state, viewer)
        for r in records {
            starts.append(bytes.count)
            bytes.append(contentsOf: text(r).utf8)
            bytes.append(0x0A)  // a separator no query contains, so matches never span two records
        }
        starts.append(bytes.count)
        // Lower case and counted in one pass over the buffer, not byte by byte as each text is added.
        bytes.withUnsafeMutableBufferPointer { all in
            for k in all.indices {
                let b = all[k]
                let folded = b >= 0x41 && b <= 0x5A ? b + 0x20 : b
                all[k] = folded
                frequency[Int(folded)] += 1
            }
        }
    }

    /// Positions (into `records`) whose text contains `query`: all of them, or only those in
    /// `among` when the query narrows the previous one.
    func matching(_ query: String, among: [Int]?) -> [Int] {
        let needle = Array(query.utf8)
        guard !needle.isEmpty else { return among ?? Array(records.indices) }
        // The needle's rarest byte, chosen once for every record searched.
        let rare = needle.indices.min { frequency[Int(needle[$0])] < frequency[Int(needle[$1])] }!
        return bytes.withUnsafeBytes { hay in
            needle.withUnsafeBytes { n in
                if let among {
                    return among.filter { k in
                        let slice = UnsafeRawBufferPointer(rebasing: hay[starts[k]..<starts[k + 1]])
                        return find(n, rare: rare, in: slice, from: 0) != nil
                    }
                }
                var hits: [Int] = []
                var from = 0
                var k = 0
                while let at = find(n, rare: rare, in: hay, from: from) {
                    while starts[k + 1] <= at { k += 1 }  // hits come in order, so the record index only moves forward
                    hits.append(k)
                    from = starts[k + 1]
                }
                return hits
            }
        }
    }

    /// The first offset at or after `from` where `needle` occurs: memchr for its rarest byte (at
    /// `j` in the needle), then memcmp of the whole needle around it.
    func find(_ needle: UnsafeRawBufferPointer, rare j: Int, in hay: UnsafeRawBufferPointer, from: Int) -> Int? {
        let rare = Int32(needle[j])
        var at = from
        while at + needle.count <= hay.count {
            guard let p = memchr(hay.baseAddress! + at + j, rare, hay.count - at - needle.count + 1) else { return nil }
            let i = hay.baseAddress!.distance(to: UnsafeRawPointer(p)) - j
            if memcmp(hay.baseAddress! + i, needle.baseAddress!, needle.count) == 0 { return i }
            at = i + 1
        }
        return nil
    }
}

struct FilteredRows {
    var eventCount = -1
    var query = ""
    var sort: (column: Int, ascending: Bool)?
    var indices: [Int32] = []
    /// The records the viewer may see, in list order; recomputed when the log grows.
    var visible: [Int32] = []
    /// Their search text, built only once somebody filters (and again after the log grew).
    var search: SearchText?
    /// Which of `visible` match the current query (nil: all of them).
    var positions: [Int]?
    /// What each query typed since the search text was built found (by its bytes, as the search
    /// reads it), so that a backspace shows the shorter query's rows at once, and a query narrows
    /// the longest one typed before it. Forgotten past a million rows in all: a query like "2026-"
    /// on an admin's visits list finds nearly all of 600,000.
    var found: [[UInt8]: [Int]] = [:]
    var foundRows = 0
    /// Each sorted row's key as the sort compared it (flipped when descending), for lists with
    /// number keys: a colleague's new visit is then merged into the sorted rows, not sorted anew.
    var sortedKeys: [UInt32]?
    /// How many log growths were merged in rather than sorted (the tests read it).
    var mergedUpdates = 0

    /// Builds the search text ahead of the first typed character (when the filter opens).
    mutating func prepareSearch(_ spec: ListSpec, state: State, viewer: Viewer, strings: Strings) {
        if state.eventCount != eventCount { update(spec, state: state, viewer: viewer, query: "", sort: sort, strings: strings) }
        if search == nil { search = SearchText(spec, state: state, viewer: viewer, records: visible) }
    }

    mutating func update(_ spec: ListSpec, state: State, viewer: Viewer, query newQuery: String,
                         sort newSort: (column: Int, ascending: Bool)?, strings: Strings) {
        let q = newQuery.lowercased()
        let sameSort = sort?.column == newSort?.column && sort?.ascending == newSort?.ascending
        if state.eventCount == eventCount, q == query, sameSort { return }
        if state.eventCount != eventCount {
            let allowed = spec.visible(state, viewer)
            let fresh = spec.indices(state).filter(allowed)
            let added = fresh.count - visible.count
            // New records at the front of the list's own order (a visits list, newest first) and
            // nothing else changed: merged into the sorted rows if no sorted row's key moved.
            if q.isEmpty, query.isEmpty, sameSort, let newSort, let keys = sortedKeys, added > 0, added <= 1000,
               fresh[added...].elementsEqual(visible),
               let merged = Self.merging(Array(fresh.prefix(added)), into: indices, keys: keys, by: newSort, spec: spec,
                                         state: state, viewer: viewer, strings: strings) {
                visible = fresh
                search = nil
                (found, foundRows) = ([:], 0)
                positions = nil
                (indices, sortedKeys) = merged
                mergedUpdates += 1
                eventCount = state.eventCount
                return
            }
            visible = fresh
            search = nil
            (found, foundRows) = ([:], 0)
            positions = nil
            query = ""
        }
        if q.isEmpty {
            positions = nil
            indices = visible
        } else {
            if search == nil { search = SearchText(spec, state: state, viewer: viewer, records: visible) }
            let text = search!
            let hits: [Int]
            let key = Array(q.utf8)
            if let known = found[key] {
                hits = known
            } else {
                // The longest query typed before that this one goes on from: its rows hold all of this one's.
                let typed = found
                let before = (1..<max(1, q.count)).reversed().lazy.compactMap { typed[Array(q.prefix($0).utf8)] }.first
                hits = text.matching(q, among: before)
                if foundRows + hits.count > 1_000_000 { (found, foundRows) = ([:], 0) }
                found[key] = hits
                foundRows += hits.count
            }
            positions = hits
            indices = hits.map { text.records[$0] }
        }
        sortedKeys = nil
        if let newSort {
            (indices, sortedKeys) = Self.sortedWithKeys(indices, by: newSort, spec: spec, state: state, viewer: viewer, strings: strings)
        }
        eventCount = state.eventCount
        query = q
        sort = newSort
    }

    /// Sorts by what the column shows: numbers as numbers when every cell is one, otherwise by
    /// the text's code points; ties keep the list's own order. Each distinct cell is ranked once,
    /// and then plain integers are sorted, so 600,000 visits take a fraction of a second.
    static func sorted(_ records: [Int32], by sort: (column: Int, ascending: Bool), spec: ListSpec,
                       state: State, viewer: Viewer, strings: Strings) -> [Int32] {
        sortedWithKeys(records, by: sort, spec: spec, state: state, viewer: viewer, strings: strings).rows
    }

    /// `sorted`, and with number keys each row's key as compared (see `merging`).
    static func sortedWithKeys(_ records: [Int32], by sort: (column: Int, ascending: Bool), spec: ListSpec,
                               state: State, viewer: Viewer, strings: Strings) -> (rows: [Int32], keys: [UInt32]?) {
        if let key = spec.sortKey?(state, viewer, strings, sort.column) {
            let (rows, keys) = packedSort(records, ascending: sort.ascending) { record, _ in key(record) }
            return (rows, keys)
        }
        let keys = records.map { spec.row(state, viewer, $0, strings)[sort.column] }
        var rankOf: [String: UInt32] = [:]
        for key in keys where rankOf[key] == nil { rankOf[key] = 0 }
        var distinct = Array(rankOf.keys)
        let numbers = distinct.map { Double($0) }
        if numbers.allSatisfy({ $0 != nil }) {
            distinct = zip(numbers, distinct).sorted { $0.0! < $1.0! }.map(\.1)
        } else {
            let bytes = Dictionary(uniqueKeysWithValues: distinct.map { ($0, Array($0.utf8)) })
            distinct.sort { textPrecedes(bytes[$0]!, bytes[$1]!) }
        }
        for (rank, key) in distinct.enumerated() { rankOf[key] = UInt32(rank) }
        return (packedSort(records, ascending: sort.ascending) { _, position in rankOf[keys[position]]! }.rows, nil)
    }

    /// `sorted` with `added` (the list's first rows now, before every sorted row in its own
    /// order) merged in: the same rows in the same order a full sort gives, ties included, or nil
    /// when a sorted row's key changed (a rename, an amended date) and only a full sort will do.
    static func merging(_ added: [Int32], into sorted: [Int32], keys: [UInt32], by sort: (column: Int, ascending: Bool),
                        spec: ListSpec, state: State, viewer: Viewer, strings: Strings) -> ([Int32], [UInt32])? {
        guard sorted.count == keys.count, let key = spec.sortKey?(state, viewer, strings, sort.column) else { return nil }
        func compared(_ record: Int32) -> UInt32 { let k = key(record); return sort.ascending ? k : UInt32.max - k }
        for (i, record) in sorted.enumerated() where compared(record) != keys[i] { return nil }
        let new = added.enumerated().map { (key: compared($0.element), position: $0.offset, record: $0.element) }
            .sorted { ($0.key, $0.position) < ($1.key, $1.position) }
        var rows: [Int32] = [], merged: [UInt32] = []
        rows.reserveCapacity(sorted.count + new.count)
        merged.reserveCapacity(sorted.count + new.count)
        var j = 0
        for (i, record) in sorted.enumerated() {
            // A tie goes to the new row: it comes first in the list's own order.
            while j < new.count, new[j].key <= keys[i] { rows.append(new[j].record); merged.append(new[j].key); j += 1 }
            rows.append(record)
            merged.append(keys[i])
        }
        for n in new[j...] { rows.append(n.record); merged.append(n.key) }
        return (rows, merged)
    }

    /// Sorts records by a 32-bit key each (given the record and its position): key in the high
    /// half, position in the low half, so one integer sort is stable by construction.
    static func packedSort(_ records: [Int32], ascending: Bool, key: (Int32, Int) -> UInt32) -> (rows: [Int32], keys: [UInt32]) {
        var packed = records.enumerated().map { position, record -> UInt64 in
            let k = key(record, position)
            return UInt64(ascending ? k : UInt32.max - k) << 32 | UInt64(position)
        }
        packed.sort()
        return (packed.map { records[Int($0 & 0xFFFF_FFFF)] }, packed.map { UInt32($0 >> 32) })
    }
}

extension Int32 {
    /// A signed number as an unsigned key in the same order (dates before 1970 included).
    var orderKey: UInt32 { UInt32(bitPattern: self) ^ 0x8000_0000 }
}
