import Testing
@testable import ShegongDomain
import ShegongTestSupport

@Suite struct DemoHubTests {
    @Test func theDemoHubHasProjectsAtEveryStageAndFundsThatBalance() throws {
        var state = Harness().state   // a store with its admin, as DemoFill fills
        var generator = DemoGenerator(seed: 1, totalEvents: 3000, endingNear: Day(iso: "2026-11-21")!, state: state)
        for (k, e) in generator.next(3000).enumerated() { state.apply(e, offset: Int64(k)) }
        let hub = DemoHub.events(seed: 1, state: state, today: Day(iso: "2026-11-21")!)
        for (k, e) in hub.enumerated() {
            try state.validate(e)
            state.apply(e, offset: Int64(3000 + k))
        }
        let stages = Set(state.hub.projects.map(\.stage))
        #expect(stages == Set(ProjectStage.allCases), "every stage: \(state.hub.projects.map(\.stage.rawValue))")
        #expect(state.hub.projects.count >= 24)
        #expect(state.hub.entries.contains { $0.kind == .reversal } && state.hub.entries.contains { $0.kind == .transferIn })
        #expect(state.hub.entries.contains { $0.pool.inKind } && state.hub.entries.contains { $0.pool.purpose != nil })
        #expect(state.hub.funds.count == 2)
        #expect(Set(state.hub.organisations.map(\.stage)) == Set(IncubationStage.allCases), "organisations at every incubation stage")
        #expect(Set(state.hub.wishes.map(\.stage)) == Set(WishStage.allCases), "wishes in every state: \(state.hub.wishes.map(\.stage.rawValue))")
        let today = Day(iso: "2026-11-21")!
        let certified = state.hub.talents.filter { $0.isCertified(on: today) }
        #expect(certified.count >= 5 && certified.count < state.hub.talents.count, "a certified roster, not everyone")
        #expect(state.hub.wishes.contains { $0.granted.fen > 0 && $0.claimantKind == .stationFund }, "a wish paid for by a fund")
        #expect(state.hub.trainings.count >= 10 && state.hub.talents.contains { !$0.supervision.isEmpty })
        for w in state.hub.wishes { #expect(WishPrivacy(person: state.people[Int(w.person)]).finding(in: w.item + w.card) == nil, "\(w.card)") }
        #expect(DemoHub.events(seed: 1, state: state, today: Day(iso: "2026-11-21")!).count == 0, "a second fill adds no second hub")
    }
}
