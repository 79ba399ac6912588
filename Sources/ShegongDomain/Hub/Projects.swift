/// A community project (公益创投, 政府购买服务, 基金库资助 …) from application to its closing
/// evaluation. Who decides is recorded with each step; spending stays within what was approved.
public struct Project: Equatable, Sendable {
    public var id: String
    public var name: String
    public var applicantKind: ApplicantKind
    /// The organisation, group or agency applying, as named on the application.
    public var applicant: String
    /// The staff account that entered the application for the applicant: never its approver.
    public var submittedBy: String
    public var funder: String
    public var source: FundingSource
    public var field: ProjectField
    public var site: String
    public var budget: Money
    public var appliedOn: Day
    public var starts: Day?
    public var ends: Day?
    public var stage: ProjectStage
    /// Set at 立项; changed only by a recorded budget change.
    public var approved: Money?
    public var approvedBy: String?
    public var approvedOn: Day?
    public var declineReason: String?
    public var closedOn: Day?
    public var grade: String?
    public var spent: Money = .zero
    /// Money granted to it from the station's funds.
    public var granted: Money = .zero
    public var milestones: [Milestone] = []
    /// Groups, activities, visits and cases done under it.
    public var links: [String] = []
    /// The day of its latest stage change, budget change or expense: no later step is dated before it.
    public var lastStep: Day
    public var version = 1
    /// Where its events are in the log, for its timeline.
    public var offsets: [Int64] = []

    /// What may still be spent (or granted) before the approved amount is reached.
    public var remaining: Money { (approved ?? .zero) - spent }
}

public struct Milestone: Equatable, Sendable {
    public var text: String
    public var due: Day
    public var done: Day?
}
