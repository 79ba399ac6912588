/// The hub's people and groups: the community organisations it incubates, its talent pool
/// (certification, training, supervision) and the trainings it runs.

/// A community social organisation or volunteer team the station cultivates and incubates.
public struct Organisation: Equatable, Sendable {
    public var id: String
    public var name: String
    public var kind: OrgKind
    public var field: ProjectField
    public var site: String
    public var leader: String
    public var members: Int
    public var stage: IncubationStage
    /// The day it reached each stage it has reached, in order.
    public var steps: [StageStep]
    public var supports: [Support] = []
    public var version = 1
    public var offsets: [Int64] = []

    /// The day it first left the incubator (出壳 or 备案), if it has.
    public var outOn: Day? { steps.first { $0.stage.isOut }?.day }
    public var lastStep: Day { steps.last?.day ?? Day(number: 0) }
}

public struct StageStep: Equatable, Sendable {
    public var stage: IncubationStage
    public var day: Day
}

/// Training, a venue, money or mentoring an organisation received from the station.
public struct Support: Equatable, Sendable {
    public var kind: SupportKind
    public var day: Day
    public var hours: Double
    public var value: Money
}

/// Someone in the talent pool: a station's social worker, a local social worker, a community
/// committee member or a resident leader, with their certificate and the hours that keep it current.
public struct Talent: Equatable, Sendable {
    public var id: String
    public var name: String
    public var kind: TalentKind
    public var site: String
    /// Their staff account, when they have one.
    public var account: String
    public var addedOn: Day
    public var level: CertLevel?
    public var certificate: String = ""
    /// When they were first certified: an upgrade keeps it, so they count as certified from then on.
    public var certifiedOn: Day?
    /// Trainings attended (positions in `Hub.trainings`).
    public var trainings: [Int32] = []
    public var supervision: [SupervisionHours] = []
    public var version = 1
    public var offsets: [Int64] = []

    /// Certified on or before `day`.
    public func isCertified(on day: Day) -> Bool { certifiedOn.map { $0 <= day } ?? false }
}

/// One supervision session: the talent it is recorded on received it, `supervisor` gave it.
public struct SupervisionHours: Equatable, Sendable {
    public var supervisor: String
    public var day: Day
    public var hours: Double
    public var form: SupervisionForm
}

/// A training the station ran or sent people to: every attendee is one person-time.
public struct Training: Equatable, Sendable {
    public var id: String
    public var title: String
    public var programme: TrainingProgramme
    public var site: String
    public var day: Day
    public var hours: Double
    /// Positions in `Hub.talents`.
    public var attendees: [Int32]
    public var offset: Int64
}

/// Continuing education, as a station keeps track of it (convention, after the Ministry of Civil
/// Affairs' rules for registered social workers): a certified worker trains at least
/// `hoursPerYear` hours in every twelve months.
public enum ContinuingEducation {
    public static let hoursPerYear = 72.0

    /// Training hours in the twelve months up to `day`.
    public static func hours(of t: Talent, in hub: Hub, to day: Day) -> Double {
        let from = day.adding(days: -365)
        return t.trainings.reduce(0) { sum, i in
            let tr = hub.trainings[Int(i)]
            return tr.day > from && tr.day <= day ? sum + tr.hours : sum
        }
    }

    /// Certified within the year up to `day` (新证首年): continuing education is not due yet.
    public static func inFirstYear(_ t: Talent, on day: Day) -> Bool {
        t.certifiedOn.map { $0 > day.adding(days: -365) } ?? false
    }

    /// A certified worker whose last twelve months fall short.
    public static func isDue(_ t: Talent, in hub: Hub, on day: Day) -> Bool {
        guard t.isCertified(on: day), !inFirstYear(t, on: day) else { return false }
        return hours(of: t, in: hub, to: day) < hoursPerYear
    }
}

/// A talent's last twelve months: training and supervision hours, and whether continuing education is due.
public struct TalentYear: Equatable, Sendable {
    public var training: Double
    public var received: Double
    public var given: Double
    public var due: Bool

    public init(_ t: Talent, in hub: Hub, to day: Day) {
        let window = day.adding(days: -364)...day
        training = ContinuingEducation.hours(of: t, in: hub, to: day)
        received = t.supervision.filter { window.contains($0.day) }.reduce(0) { $0 + $1.hours }
        given = hub.talents.reduce(0) { sum, other in
            sum + other.supervision.filter { $0.supervisor == t.id && window.contains($0.day) }.reduce(0) { $0 + $1.hours }
        }
        due = ContinuingEducation.isDue(t, in: hub, on: day)
    }
}
