#if canImport(Glibc)
import Glibc
#endif
import ShegongDomain
import ShegongStore

/// Creates (if needed) and fills a store with demo events in large locked, fsynced batches,
/// then writes a checkpoint so the console starts fast.
public enum DemoFill {
    /// `hub`: also a year of funds and projects (once per store), after the station life.
    public static func run(path: String, station: String, origin: String? = nil, actor: String, events: Int, seed: UInt64,
                           today: Day? = nil, hub: Bool = false) throws -> Int {
        let context = Identity.context(actor: actor)
        let store: Store
        do { store = try Store.open(path: path) } catch StoreError.notFound {
            store = try Store.create(path: path, station: station, origin: origin, context: context, demo: true)
        }
        // Generated records are attributed to many accounts: they go only into a store the demo
        // made, and only its admin (or root) may add more.
        guard store.isDemo else {
            throw DomainError.notAllowed(.demoStoreOnly(path: path))
        }
        guard Identity.isRoot || store.state.staff[actor]?.role == .admin else {
            throw DomainError.notAllowed(.demoAdminOnly)
        }
        var generator = DemoGenerator(seed: seed, totalEvents: events, endingNear: today ?? context.today, state: store.state)
        var written = 0
        while written < events {
            let batch = generator.next(min(20_000, events - written))
            written += try store.append { _ in batch }.count
        }
        // The hub's year (funds, projects) once, after the station life it draws on.
        let hubEvents = hub ? DemoHub.events(seed: seed, state: store.state, today: today ?? context.today) : []
        if !hubEvents.isEmpty { written += try store.append { _ in hubEvents }.count }
        try store.writeCheckpoint()
        return written
    }
}
