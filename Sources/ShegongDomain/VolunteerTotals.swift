/// Each volunteer's certified hours and time-bank balance, kept as records are applied, so that
/// a list, its sort, an export or a rule reads one number instead of adding up every record (the
/// 志愿者 list added all 130,000 hours of a million-event store for each row it drew, and sorting
/// it by hours did so for every volunteer). Kept in millionths of an hour: integer sums are the
/// same in any order, so a state from a checkpoint, which adds them up afresh, equals the state
/// replayed, corrections and all.
struct VolunteerTotals: Equatable, Sendable {
    private var certified: [Int64] = []
    private var balance: [Int64] = []

    init() {}

    /// The totals of a checkpoint's lists.
    init(volunteers: Int, hours: [HoursRecord], timeBank: [TimeBankEntry]) {
        certified = Array(repeating: 0, count: volunteers)
        balance = Array(repeating: 0, count: volunteers)
        for h in hours { certified[Int(h.volunteer)] &+= Self.micro(h.hours) }
        for t in timeBank { balance[Int(t.volunteer)] &+= Self.micro(t.hours) }
    }

    /// A value in millionths. A record's hours are bounded when written (`validate`: more than
    /// none, at most 24); one that was not (a hand-made line) is clamped, and sums wrap rather
    /// than trap, in any order alike.
    static func micro(_ hours: Double) -> Int64 {
        guard hours.isFinite else { return 0 }
        return Int64((min(max(hours, -1e12), 1e12) * 1_000_000).rounded())
    }

    mutating func addVolunteer() {
        certified.append(0)
        balance.append(0)
    }

    mutating func certify(_ hours: Double, for volunteer: Int32) { certified[Int(volunteer)] &+= Self.micro(hours) }
    mutating func correct(_ old: Double, to new: Double, for volunteer: Int32) {
        certified[Int(volunteer)] &+= Self.micro(new) &- Self.micro(old)
    }
    mutating func bank(_ hours: Double, for volunteer: Int32) { balance[Int(volunteer)] &+= Self.micro(hours) }

    /// Whether the balance holds `hours` to take out, in the millionths it is kept in.
    func covers(_ hours: Double, for volunteer: Int32) -> Bool {
        balance.indices.contains(Int(volunteer)) && Self.micro(hours) <= balance[Int(volunteer)]
    }

    func certifiedHours(_ volunteer: Int32) -> Double { Self.hours(certified, volunteer) }
    func balance(_ volunteer: Int32) -> Double { Self.hours(balance, volunteer) }

    private static func hours(_ column: [Int64], _ volunteer: Int32) -> Double {
        column.indices.contains(Int(volunteer)) ? Double(column[Int(volunteer)]) / 1_000_000 : 0
    }
}
