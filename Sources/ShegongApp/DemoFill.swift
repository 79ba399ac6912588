#if canImport(Glibc)
import Glibc
#endif
import ShegongDomain
import ShegongStore

/// Creates (if needed) and fills a store with demo events in large locked, fsynced batches,
/// then writes a checkpoint so the console starts fast.
public enum DemoFill {
    public static func run(path: String, station: String, actor: String, events: Int, seed: UInt64,
                           today: Day? = nil) throws -> Int {
        let context = Identity.context(actor: actor)
        let store = access(path, F_OK) == 0 ? try Store.open(path: path)
            : try Store.create(path: path, station: station, context: context)
        var generator = DemoGenerator(seed: seed, totalEvents: events, endingNear: today ?? context.today, state: store.state)
        var written = 0
        while written < events {
            let batch = generator.next(min(20_000, events - written))
            written += try store.append { _ in batch }.count
        }
        try store.writeCheckpoint()
        return written
    }
}
