/// 微心愿: a small, concrete wish of a person in difficulty (a desk, a winter quilt, a school bag),
/// posted by their worker, claimed by a donor, volunteer or organisation and fulfilled. Who the
/// person is stays with the station: a donor is shown a `WishCard`, never the person's record.
public struct Wish: Equatable, Sendable {
    public var id: String
    /// Position in `State.people`.
    public var person: Int32
    public var item: String
    /// What a donor reads: the need in words that name nobody (checked when posted).
    public var card: String
    public var value: Money
    public var site: String
    public var source: WishSource
    /// The visit or case it came from, if any.
    public var from: String
    public var due: Day?
    public var postedOn: Day
    public var postedBy: String
    public var stage: WishStage = .posted
    public var claimantKind: ClaimantKind?
    public var claimant: String = ""
    public var claimedOn: Day?
    public var fulfilledOn: Day?
    public var withdrawReason: String = ""
    /// Paid from the station's funds towards it (a grant whose counterparty is the wish).
    public var granted: Money = .zero
    public var lastStep: Day
    public var version = 1
    public var offsets: [Int64] = []

    public var isOpen: Bool { stage == .posted || stage == .claimed }
    /// The day it counts as fulfilled (the report figure, at the station and the district alike).
    public var fulfilledDay: Day? { stage == .fulfilled ? fulfilledOn : nil }
}

/// What a donor, a donor platform or a notice board is given about a wish: nothing that names
/// or locates the person, only what is wished, its value, the community and how far it has come.
public struct WishCard: Equatable, Sendable {
    public var id: String
    public var item: String
    public var text: String
    public var value: Money
    public var community: String
    public var due: Day?
    public var stage: WishStage
}
