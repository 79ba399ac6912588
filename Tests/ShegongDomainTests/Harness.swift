import ShegongDomain
import ShegongTestSupport

/// Builds a state the way the store does (form → validate → apply), with an injected clock.
struct Harness {
    var state = State()
    var offset: Int64 = 0

    init(station: String = "弹子石街道社工站") {
        let ctx = testContext(actor: "admin")
        apply(ctx.event("store.created", body: .object([JSONField("station", .string(station))])))
        apply(ctx.event("site.added", subject: "S-1", body: .object([JSONField("name", .string(station)), JSONField("tier", .string("street"))])))
        apply(ctx.event("staff.added", subject: "admin", body: .object([JSONField("role", .string("admin")), JSONField("site", .string("S-1"))])))
    }

    mutating func apply(_ e: Event) {
        state.apply(e, offset: offset)
        offset += 100
    }

    @discardableResult
    mutating func add(_ form: String, as actor: String = "sg001", on day: String = "2026-11-21", _ values: [String: String]) throws -> Event {
        let event = try Forms.build(Forms.spec(form)!, values: values, state: state, context: testContext(actor: actor, day: day))
        try state.validate(event)  // as the store does before it writes
        apply(event)
        return event
    }

    /// Two communities, a worker in each, a supervisor, and people.
    mutating func station() throws {
        try add("site", as: "admin", ["name": "彩云社区", "tier": "community", "parent": "S-1"])        // S-2
        try add("site", as: "admin", ["name": "新力社区", "tier": "community", "parent": "S-1"])        // S-3
        try add("staff", as: "admin", ["account": "dudao", "name": "李督导", "role": "supervisor", "site": "S-1"])
        try add("staff", as: "admin", ["account": "sg001", "name": "张晓芳", "role": "worker", "site": "S-2", "supervisor": "dudao"])
        try add("staff", as: "admin", ["account": "sg002", "name": "王建国", "role": "worker", "site": "S-3", "supervisor": "dudao"])
        try add("person", ["name": "刘桂兰", "community": "S-2", "tier": "high", "address": "彩云社区1栋101", "birth": "1940-03-02"])  // P-1
        try add("person", ["name": "陈德胜", "community": "S-2", "tier": "priority", "address": "彩云社区1栋101"])  // P-2, same household
        try add("person", as: "sg002", ["name": "赵思远", "community": "S-3", "tier": "general", "address": "新力社区5栋302",
                                        "birth": "2015-06-01"])  // P-3, in sg002's community
    }
}
