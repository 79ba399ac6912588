import Dispatch

/// A compact binary form of `State` for checkpoints. `StateCodec.version` is the one version
/// number of the whole checkpoint file (its header layout and this encoding): a checkpoint of
/// another version is ignored (the log is replayed), never migrated.
public enum StateCodec {
    public static let version: UInt32 = 7

    /// What a checkpoint's bytes mean: the codec's version and every vocabulary in the order its
    /// values are stored (by position). Inserting a case mid-enum changes it, so an older
    /// checkpoint is replayed instead of being misread, whether or not anyone bumped `version`.
    public static let schemaFingerprint: UInt64 = {
        var text = "codec \(version)\n"
        func add<V: Vocabulary>(_ v: V.Type) { text += "\(V.self): " + V.allCases.map(\.rawValue).joined(separator: ",") + "\n" }
        add(Sex.self); add(VisitTier.self); add(VisitMode.self); add(SiteTier.self); add(Role.self); add(CaseSource.self)
        add(ClosureType.self); add(CaseFlag.self); add(ServiceType.self); add(ContactMode.self); add(GroupKind.self)
        add(Attendance.self); add(ObjectiveStatus.self); add(CaseStage.self)
        add(ProjectStage.self); add(ApplicantKind.self); add(FundingSource.self); add(ProjectField.self); add(FundKind.self)
        add(EntryKind.self); add(ProjectGrade.self); add(OrgKind.self); add(IncubationStage.self); add(SupportKind.self)
        add(TalentKind.self); add(CertLevel.self); add(TrainingProgramme.self); add(SupervisionForm.self); add(WishStage.self)
        add(WishSource.self); add(ClaimantKind.self)
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in text.utf8 { hash = (hash ^ UInt64(b)) &* 0x100_0000_01B3 }
        return hash
    }()

    public static func encode(_ s: State) -> [UInt8] {
        var w = BinaryWriter()
        w.u32(version)
        w.str(s.station)
        w.str(s.origin)
        w.array(s.origins.sorted { $0.key < $1.key }) { w, o in
            w.str(o.key); w.str(o.value.station); w.int(o.value.number); w.str(o.value.hash); w.int(o.value.records); w.int(o.value.held)
            w.i64(o.value.lastWritten?.seconds ?? Int64.min); w.bool(o.value.introduced)
        }
        w.array(s.sites) { w, x in w.str(x.id); w.str(x.name); w.vocab(x.tier); w.optStr(x.parent) }
        w.array(s.staff.values.sorted { $0.account < $1.account }) { w, x in
            w.str(x.account); w.str(x.name); w.vocab(x.role); w.str(x.site); w.optStr(x.supervisor)
            w.bool(x.active); w.int(x.version)
        }
        w.array(Array(s.people.indices)) { w, i in
            let p = s.people[i]
            w.str(p.id); w.str(p.name); w.optStr(p.sex?.rawValue); w.optDay(p.birth); w.str(p.idNumber); w.str(p.phone)
            w.str(p.address); w.shared(p.community); w.str(p.household); w.array(p.categories) { w, c in w.shared(c) }; w.vocab(p.tier)
            w.shared(p.worker); w.day(p.registeredOn); w.optDay(s.lastVisits[i]); w.int(p.version)
            w.array(p.consents) { w, c in w.shared(c.scope); w.day(c.on); w.shared(c.recordedBy); w.optDay(c.withdrawn) }
            w.i64s(p.offsets)
        }
        w.array(s.cases) { w, c in
            w.str(c.id); w.str(c.number); w.i32(c.person); w.shared(c.worker); w.shared(c.site); w.day(c.openedOn)
            w.vocab(c.source); w.str(c.problem); w.vocab(c.stage); w.optStr(c.risk?.rawValue)
            w.strings(c.flags.map(\.rawValue))
            w.array(c.objectives) { w, o in w.str(o.id); w.str(o.text); w.vocab(o.status) }
            w.bool(c.closure != nil)
            if let r = c.closure {
                w.vocab(r.type); w.str(r.summary); w.str(r.requestedBy); w.day(r.requestedOn); w.strings(r.rejections)
            }
            w.optDay(c.closedOn); w.array(c.contactDays) { w, d in w.day(d) }; w.int(c.version); w.i64s(c.offsets)
        }
        w.array(s.groups) { w, g in
            w.str(g.id); w.str(g.name); w.vocab(g.kind); w.shared(g.site); w.shared(g.worker); w.str(g.goals)
            w.int(g.plannedSessions); w.str(g.venue); w.array(g.members) { w, m in w.i32(m) }
            w.array(g.sessions) { w, x in
                w.int(x.number); w.day(x.day)
                w.array(x.attendance.sorted { $0.key < $1.key }) { w, a in w.i32(a.key); w.vocab(a.value) }
                w.str(x.stage); w.i64(x.offset)
            }
            w.optDay(g.closedOn); w.int(g.version); w.i64s(g.offsets)
        }
        w.array(s.activities) { w, a in
            w.str(a.id); w.str(a.name); w.day(a.day); w.shared(a.site); w.shared(a.venue); w.int(a.headcount); w.shared(a.worker)
        }
        w.array(s.volunteers) { w, v in
            w.str(v.id); w.str(v.name); w.optStr(v.sex?.rawValue); w.optDay(v.birth); w.str(v.idNumber); w.str(v.phone)
            w.array(v.skills) { w, x in w.shared(x) }; w.shared(v.availability); w.shared(v.team); w.shared(v.site); w.bool(v.backbone)
            w.day(v.registeredOn); w.array(v.pairedWith) { w, p in w.i32(p) }; w.int(v.version)
        }
        w.array(s.timeBank) { w, t in w.i32(t.volunteer); w.day(t.day); w.double(t.hours); w.shared(t.note) }
        w.array(s.access) { w, a in w.shared(a.actor); w.i64(a.at.seconds); w.shared(a.what); w.str(a.subject) }
        w.array(s.unknown) { w, u in w.str(u.type); w.int(u.version); w.i64(u.offset) }
        HubCodec.encode(s.hub, into: &w)
        for index in [s.visitIndex, s.hoursIndex] {
            w.array(index.exceptions.sorted { $0.value < $1.value }) { w, x in w.str(x.key); w.i32(x.value) }
        }
        w.int(s.eventCount)
        w.i64(s.lastOffset)
        // Visits and volunteer hours are most of a large state (about half the decoding time):
        // they go last, in their own section, so a start decodes them on a second core while
        // it decodes everything else.
        var v = BinaryWriter()
        v.array(s.visits) { w, x in
            w.str(x.id); w.i32(x.person); w.day(x.day); w.vocab(x.mode); w.shared(x.worker); w.i32(x.caseIndex)
            w.optDay(x.followUp); w.bool(x.referral); w.i32(x.version); w.i64(x.offset)
        }
        v.array(s.hours) { w, h in
            w.str(h.id); w.i32(h.volunteer); w.day(h.day); w.double(h.hours); w.shared(h.activity); w.shared(h.recorder); w.i64(h.offset)
        }
        var out = BinaryWriter()
        out.u64(UInt64(w.bytes.count))
        out.bytes.append(contentsOf: w.bytes)
        out.bytes.append(contentsOf: v.bytes)
        return out.bytes
    }

    static func decodeBulk(_ bytes: UnsafeRawBufferPointer, from start: Int, end: Int) -> Bulk? {
        var r = BinaryReader(bytes, from: start)
        r.end = end
        do {
            let visits = try r.array(spare: true) { r in
                VisitRow(id: try r.str(), person: try r.i32(), day: try r.day(), mode: try r.vocab(VisitMode.self),
                         worker: try r.shared(), caseIndex: try r.i32(), followUp: try r.optDay(), referral: try r.bool(),
                         version: try r.i32(), offset: try r.i64())
            }
            let hours = try r.array(spare: true) { r in
                HoursRecord(id: try r.str(), volunteer: try r.i32(), day: try r.day(), hours: try r.double(),
                            activity: try r.shared(), recorder: try r.shared(), offset: try r.i64())
            }
            guard r.atEnd else { return nil }
            // Gathered here, on this thread, in a pass of its own: noting them inside the closures
            // above slowed their decoding by more than the pass costs.
            var named = Bulk.Named()
            visits.withUnsafeBufferPointer { rows in
                for i in rows.indices { named.people.note(rows[i].person); named.cases.note(rows[i].caseIndex) }
            }
            hours.withUnsafeBufferPointer { records in
                for i in records.indices { named.volunteers.note(records[i].volunteer) }
            }
            return Bulk(visits: visits, hours: hours, named: named)
        } catch {
            return nil
        }
    }

    public static func decode(_ bytes: [UInt8], from start: Int = 0, end: Int? = nil) -> State? {
        bytes.withUnsafeBytes { decode(raw: $0, from: start, end: end) }
    }

    /// Decodes from memory the caller owns (a mapped checkpoint is read in place, never copied).
    public static func decode(raw bytes: UnsafeRawBufferPointer, from start: Int = 0, end: Int? = nil) -> State? {
        guard bytes.baseAddress != nil else { return nil }
        let end = end ?? bytes.count
        var prefix = BinaryReader(bytes, from: start)
        prefix.end = end
        guard let raw = try? prefix.u64(), let mainLength = Int(exactly: raw), mainLength <= end - prefix.at else { return nil }
        let mainEnd = prefix.at + mainLength
        let bulkJob = BulkDecode()
        let group = DispatchGroup()
        group.enter()
        // The bytes outlive this call's wait below; the box only carries the pointer across.
        let shared = RawBytes(buffer: bytes)
        DispatchQueue.global(qos: .userInitiated).async {
            bulkJob.result = decodeBulk(shared.buffer, from: mainEnd, end: end)
            group.leave()
        }
        defer { group.wait() }
        var r = BinaryReader(bytes, from: prefix.at)
        r.end = mainEnd
        do {
            guard try r.u32() == version else { return nil }
            var s = State()
            s.station = try r.str()
            s.origin = try r.str()
            let origins = try r.array { r in
                (try r.str(), OriginHead(station: try r.str(), number: try r.int(), hash: try r.str(), records: try r.int(), held: try r.int(),
                                         lastWritten: { $0 == Int64.min ? nil : Timestamp(seconds: $0) }(try r.i64()),
                                         introduced: try r.bool()))
            }
            for (name, head) in origins { s.origins[name] = head }
            s.sites = try r.array { r in
                Site(id: try r.str(), name: try r.str(), tier: try r.vocab(SiteTier.self), parent: try r.optStr())
            }
            for (i, site) in s.sites.enumerated() { s.siteIndex[site.id] = i }
            let staff = try r.array { r in
                Staff(account: try r.str(), name: try r.str(), role: try r.vocab(Role.self), site: try r.str(),
                      supervisor: try r.optStr(), active: try r.bool(), version: try r.int())
            }
            for x in staff { s.staff[x.account] = x }
            // The lookups by id are built as the lists are read, not in a pass of their own after.
            var lastVisits: [Day?] = []
            var (peoplePlaces, casePlaces, volunteerPlaces) = (SequentialPlaces(prefix: "P"), SequentialPlaces(prefix: "C"), SequentialPlaces(prefix: "VOL"))
            s.people = try r.array(spare: true) { r in
                let (id, name, sex, birth) = (try r.str(), try r.str(), try r.optStr().flatMap(Sex.init(rawValue:)), try r.optDay())
                guard peoplePlaces.appendUnlessRepeated(id) else { throw BinaryReader.RepeatedID() }
                let (idNumber, phone, address, community) = (try r.str(), try r.str(), try r.str(), try r.shared())
                let (household, categories, tier) = (try r.str(), try r.array { r in try r.shared() }, try r.vocab(VisitTier.self))
                let (worker, registeredOn) = (try r.shared(), try r.day())
                lastVisits.append(try r.optDay())
                return Person(id: id, name: name, sex: sex, birth: birth, idNumber: idNumber, phone: phone, address: address,
                              community: community, household: household, categories: categories, tier: tier, worker: worker,
                              registeredOn: registeredOn, version: try r.int(),
                              consents: try r.array { r in
                                  Consent(scope: try r.shared(), on: try r.day(), recordedBy: try r.shared(), withdrawn: try r.optDay())
                              }, offsets: try r.i64s())
            }
            s.lastVisits = lastVisits
            s.cases = try r.array(spare: true) { r in
                var c = CaseFile(id: try r.str(), number: try r.str(), person: try r.i32(), worker: try r.shared(), site: try r.shared(),
                                 openedOn: try r.day(), source: try r.vocab(CaseSource.self), problem: try r.str(),
                                 stage: try r.vocab(CaseStage.self), risk: try r.optStr().flatMap(VisitTier.init(rawValue:)),
                                 flags: try r.strings().compactMap(CaseFlag.init(rawValue:)),
                                 objectives: try r.array { r in
                                     Objective(id: try r.str(), text: try r.str(), status: try r.vocab(ObjectiveStatus.self))
                                 }, closure: nil, closedOn: nil, contactDays: [], version: 0, offsets: [])
                if try r.bool() {
                    c.closure = ClosureRequest(type: try r.vocab(ClosureType.self), summary: try r.str(), requestedBy: try r.str(),
                                               requestedOn: try r.day(), rejections: try r.strings())
                }
                c.closedOn = try r.optDay()
                c.contactDays = try r.array { r in try r.day() }
                c.version = try r.int()
                c.offsets = try r.i64s()
                guard casePlaces.appendUnlessRepeated(c.id) else { throw BinaryReader.RepeatedID() }
                s.caseNumbers.insert(c.number)
                return c
            }
            s.groups = try r.array { r in
                Group(id: try r.str(), name: try r.str(), kind: try r.vocab(GroupKind.self), site: try r.shared(), worker: try r.shared(),
                      goals: try r.str(), plannedSessions: try r.int(), venue: try r.str(), members: try r.array { r in try r.i32() },
                      sessions: try r.array { r in
                          GroupSession(number: try r.int(), day: try r.day(),
                                       attendance: Dictionary(try r.array { r in
                                           (try r.i32(), try r.vocab(Attendance.self))
                                       }) { a, _ in a }, stage: try r.str(), offset: try r.i64())
                      }, closedOn: try r.optDay(), version: try r.int(), offsets: try r.i64s())
            }
            s.activities = try r.array { r in
                Activity(id: try r.str(), name: try r.str(), day: try r.day(), site: try r.shared(), venue: try r.shared(),
                         headcount: try r.int(), worker: try r.shared())
            }
            s.volunteers = try r.array { r in
                let volunteer = Volunteer(id: try r.str(), name: try r.str(), sex: try r.optStr().flatMap(Sex.init(rawValue:)), birth: try r.optDay(),
                                          idNumber: try r.str(), phone: try r.str(), skills: try r.array { r in try r.shared() },
                                          availability: try r.shared(), team: try r.shared(), site: try r.shared(), backbone: try r.bool(),
                                          registeredOn: try r.day(), pairedWith: try r.array { r in try r.i32() }, version: try r.int())
                guard volunteerPlaces.appendUnlessRepeated(volunteer.id) else { throw BinaryReader.RepeatedID() }
                return volunteer
            }
            s.timeBank = try r.array { r in
                TimeBankEntry(volunteer: try r.i32(), day: try r.day(), hours: try r.double(), note: try r.shared())
            }
            s.access = try r.array { r in
                AccessEntry(actor: try r.shared(), at: Timestamp(seconds: try r.i64()), what: try r.shared(), subject: try r.str())
            }
            s.unknown = try r.array { r in UnknownEvent(type: try r.str(), version: try r.int(), offset: try r.i64()) }
            s.hub = try HubCodec.decode(&r)
            s.visitIndex.exceptions = Dictionary(try r.array { r in (try r.str(), try r.i32()) }) { a, _ in a }
            s.hoursIndex.exceptions = Dictionary(try r.array { r in (try r.str(), try r.i32()) }) { a, _ in a }
            s.eventCount = try r.int()
            s.lastOffset = try r.i64()
            guard r.atEnd else { return nil }
            group.wait()
            // Taken out of the box, so the state's arrays are its own and its first append moves nothing.
            guard let bulk = bulkJob.result.take() else { return nil }
            s.visits = bulk.visits
            s.visitsByPerson = .unbuilt
            s.hours = bulk.hours
            guard peoplePlaces.othersAreUnique, casePlaces.othersAreUnique, volunteerPlaces.othersAreUnique,
                  let groupPositions = positionsByID(s.groups.lazy.map(\.id)) else { return nil }
            (s.peopleByID, s.casesByID, s.volunteersByID, s.groupIndex) = (peoplePlaces, casePlaces, volunteerPlaces, groupPositions)
            guard s.referencesAreInRange(visitsAndHoursNamed: bulk.named) else { return nil }
            s.volunteerTotals = VolunteerTotals(volunteers: s.volunteers.count, hours: s.hours, timeBank: s.timeBank)
            return s
        } catch {
            return nil
        }
    }
}

extension State {
    /// Whether every stored position points at a record that exists: a checkpoint that passed its
    /// checksums but says otherwise (damaged or forged) is refused here rather than trapping later
    /// on an index out of range. The visits' and hours' positions were gathered as they were read.
    func referencesAreInRange(visitsAndHoursNamed named: Bulk.Named) -> Bool {
        func within(_ i: Int32, _ count: Int) -> Bool { i >= 0 && Int(i) < count }
        let (p, v) = (people.count, volunteers.count)
        return lastVisits.count == p
            && named.people.within(0, p) && named.cases.within(-1, cases.count) && named.volunteers.within(0, v)
            && cases.allSatisfy { within($0.person, p) }
            && groups.allSatisfy { g in g.members.allSatisfy { within($0, p) } && g.sessions.allSatisfy { $0.attendance.keys.allSatisfy { within($0, p) } } }
            && volunteers.allSatisfy { $0.pairedWith.allSatisfy { within($0, p) } }
            && timeBank.allSatisfy { within($0.volunteer, v) }
            && visitIndex.exceptions.values.allSatisfy { within($0, visits.count) }
            && hoursIndex.exceptions.values.allSatisfy { within($0, hours.count) }
            && hub.entries.allSatisfy { within($0.fund, hub.funds.count) }
            && hub.wishes.allSatisfy { $0.person == -1 || within($0.person, p) }
            && hub.trainings.allSatisfy { $0.attendees.allSatisfy { within($0, hub.talents.count) } }
            && hub.talents.allSatisfy { $0.trainings.allSatisfy { within($0, hub.trainings.count) } }
    }
}

struct Bulk {
    var visits: [VisitRow]
    var hours: [HoursRecord]
    var named: Named

    /// The people and cases the visits name and the volunteers the hours name, as the least and
    /// greatest position, in one pass on the bulk thread: checked against the lists once they are read.
    struct Named {
        var people = Positions(), cases = Positions(), volunteers = Positions()
    }

    struct Positions {
        private var least = Int32.max, greatest = Int32.min
        @inline(__always) mutating func note(_ i: Int32) { least = min(least, i); greatest = max(greatest, i) }
        /// Each at least `lowest` and below `count` (true when none was noted).
        func within(_ lowest: Int32, _ count: Int) -> Bool { least > greatest || (least >= lowest && Int(greatest) < count) }
    }
}
final class BulkDecode: @unchecked Sendable { var result: Bulk? }

public struct BinaryWriter {
    public init() {}
    public var bytes: [UInt8] = []
    private var sharedIndex: [String: UInt32] = [:]
    public mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    public mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    public mutating func i64(_ v: Int64) { u64(UInt64(bitPattern: v)) }
    public mutating func i32(_ v: Int32) { u32(UInt32(bitPattern: v)) }
    public mutating func int(_ v: Int) { i64(Int64(v)) }
    public mutating func bool(_ v: Bool) { bytes.append(v ? 1 : 0) }
    public mutating func double(_ v: Double) { u64(v.bitPattern) }
    public mutating func day(_ d: Day) { i32(d.number) }
    public mutating func optDay(_ d: Day?) { i32(d?.number ?? Int32.min) }
    public mutating func str(_ s: String) {
        var s = s
        s.withUTF8 { u in u32(UInt32(u.count)); bytes.append(contentsOf: u) }
    }
    public mutating func optStr(_ s: String?) { bool(s != nil); if let s { str(s) } }
    /// A string that recurs (a worker's account, a community, a skill): written once, then as a
    /// back-reference, so a start decodes and allocates it once instead of once per record.
    public mutating func shared(_ s: String) {
        if let i = sharedIndex[s] { u32(i + 1); return }
        u32(0)
        str(s)
        sharedIndex[s] = UInt32(sharedIndex.count)
    }
    /// A vocabulary value as its position in the list: one byte, and no string to decode.
    public mutating func vocab<V: Vocabulary>(_ v: V) { bytes.append(UInt8(V.allCases.firstIndex(of: v).map { V.allCases.distance(from: V.allCases.startIndex, to: $0) } ?? 0)) }
    public mutating func strings(_ a: [String]) { u32(UInt32(a.count)); for s in a { str(s) } }
    public mutating func i64s(_ a: [Int64]) { u32(UInt32(a.count)); for v in a { i64(v) } }
    /// A word array as one block (little-endian machines only; checkpoints are per machine).
    public mutating func words(_ a: [UInt64]) { u64(UInt64(a.count)); a.withUnsafeBytes { bytes.append(contentsOf: $0) } }
    public mutating func array<T>(_ a: [T], _ each: (inout BinaryWriter, T) -> Void) {
        u32(UInt32(a.count))
        for x in a { each(&self, x) }
    }
}

struct RawBytes: @unchecked Sendable { let buffer: UnsafeRawBufferPointer }

/// Reads what `BinaryWriter` wrote, from memory it does not own (an array's bytes, or a mapped
/// checkpoint): the caller keeps that memory alive while the reader is used.
public struct BinaryReader {
    struct Truncated: Error {}
    struct RepeatedID: Error {}
    let bytes: UnsafeRawBufferPointer
    public var at = 0
    public var end = Int.max
    private var sharedStrings: [String] = []
    public init(_ bytes: UnsafeRawBufferPointer, from start: Int = 0) { self.bytes = bytes; self.at = start }
    public var atEnd: Bool { at == min(end, bytes.count) }

    public mutating func take(_ n: Int) throws -> Int {
        guard n >= 0, at + n <= min(end, bytes.count) else { throw Truncated() }
        defer { at += n }
        return at
    }
    public mutating func u32() throws -> UInt32 {
        let i = try take(4)
        return UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: i, as: UInt32.self))
    }
    public mutating func u64() throws -> UInt64 {
        let i = try take(8)
        return UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self))
    }
    public mutating func i64() throws -> Int64 { Int64(bitPattern: try u64()) }
    public mutating func i32() throws -> Int32 { Int32(bitPattern: try u32()) }
    public mutating func int() throws -> Int { Int(try i64()) }
    public mutating func bool() throws -> Bool { bytes[try take(1)] != 0 }
    public mutating func double() throws -> Double { Double(bitPattern: try u64()) }
    public mutating func day() throws -> Day { Day(number: try i32()) }
    public mutating func optDay() throws -> Day? { let n = try i32(); return n == Int32.min ? nil : Day(number: n) }
    public mutating func str() throws -> String {
        let n = Int(try u32())
        let i = try take(n)
        return String(decoding: UnsafeBufferPointer(start: bytes.baseAddress!.assumingMemoryBound(to: UInt8.self) + i, count: n), as: UTF8.self)
    }
    public mutating func optStr() throws -> String? { try bool() ? try str() : nil }
    public mutating func shared() throws -> String {
        let tag = Int(try u32())
        if tag == 0 {
            let s = try str()
            sharedStrings.append(s)
            return s
        }
        guard tag <= sharedStrings.count else { throw Truncated() }
        return sharedStrings[tag - 1]
    }
    public mutating func strings() throws -> [String] { try array { r in try r.str() } }
    public mutating func i64s() throws -> [Int64] { try array { r in try r.i64() } }
    public mutating func words() throws -> [UInt64] {
        guard let n = Int(exactly: try u64()), n <= (bytes.count - at) / 8 else { throw Truncated() }
        let i = try take(n * 8)
        return [UInt64](unsafeUninitializedCapacity: n) { out, done in
            UnsafeMutableRawBufferPointer(out).copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[i..<(i + n * 8)]))
            done = n
        }
    }
    public mutating func vocab<V: Vocabulary>(_ type: V.Type) throws -> V {
        let i = Int(bytes[try take(1)])
        let all = Array(V.allCases)
        guard i < all.count else { throw Truncated() }
        return all[i]
    }
    /// `spare`: room for an eighth more, for a list a start goes on to append to (the records
    /// past a checkpoint, a day's new ones): growing a full array moves all of it, 50 MB for
    /// the visits of a million-event store, and room never written is never given memory.
    public mutating func array<T>(spare: Bool = false, _ each: (inout BinaryReader) throws -> T) throws -> [T] {
        let n = Int(try u32())
        guard n <= bytes.count - at else { throw Truncated() }
        var out: [T] = []
        // Room up front only for as many as the bytes left could plausibly hold: a forged count
        // (checksums can be recomputed by anyone who can write the file) must not make a start ask
        // for gigabytes, which would end it; such a list grows as it is read, and fails when the bytes do.
        let (wanted, overflow) = n.multipliedReportingOverflow(by: MemoryLayout<T>.stride)
        if !overflow, wanted <= 8 * (bytes.count - at) {
            out.reserveCapacity(spare ? n + n / 8 + 16 : n)
        }
        for _ in 0..<n { out.append(try each(&self)) }
        return out
    }
}
