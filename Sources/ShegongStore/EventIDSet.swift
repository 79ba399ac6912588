import ShegongDomain

/// The set of every event id in the log, for idempotent appends. An open-addressing table in
/// one flat array, so a checkpoint stores and restores it as a block instead of re-hashing a
/// million ids on every start. UUIDv7 low words are random, so they hash themselves.
public struct EventIDSet: Equatable, Sendable {
    /// Two words per slot; an all-zero slot is empty (no UUID is all zero).
    public private(set) var slots: [UInt64]
    public private(set) var count = 0

    public init() { slots = [UInt64](repeating: 0, count: 2 * 1024) }

    /// The set of `ids`, sized once for them (a replay's ids, built off the start's path).
    init(_ ids: [EventID]) {
        var capacity = 1024
        while ids.count * 4 > capacity * 3 { capacity *= 2 }
        slots = [UInt64](repeating: 0, count: 2 * capacity)
        for id in ids { insert(id) }
    }

    public init(slots: [UInt64], count: Int) {
        self.slots = slots.count >= 2 * 16 && (slots.count / 2).nonzeroBitCount == 1 ? slots : [UInt64](repeating: 0, count: 2 * 1024)
        self.count = slots.count == self.slots.count ? count : 0
    }

    var capacity: Int { slots.count / 2 }

    static func mix(_ id: EventID) -> UInt64 {
        var h = id.low ^ (id.high &* 0x9E37_79B9_7F4A_7C15)
        h ^= h >> 29
        return h
    }

    public func contains(_ id: EventID) -> Bool {
        let mask = capacity - 1
        var i = Int(truncatingIfNeeded: EventIDSet.mix(id)) & mask
        while true {
            let hi = slots[2 * i], lo = slots[2 * i + 1]
            if hi == 0 && lo == 0 { return false }
            if hi == id.high && lo == id.low { return true }
            i = (i + 1) & mask
        }
    }

    @discardableResult
    public mutating func insert(_ id: EventID) -> Bool {
        if (count + 1) * 4 > capacity * 3 { grow() }
        let mask = capacity - 1
        var i = Int(truncatingIfNeeded: EventIDSet.mix(id)) & mask
        while true {
            let hi = slots[2 * i], lo = slots[2 * i + 1]
            if hi == 0 && lo == 0 {
                slots[2 * i] = id.high
                slots[2 * i + 1] = id.low
                count += 1
                return true
            }
            if hi == id.high && lo == id.low { return false }
            i = (i + 1) & mask
        }
    }

    mutating func grow() {
        let old = slots
        slots = [UInt64](repeating: 0, count: old.count * 2)
        count = 0
        for k in stride(from: 0, to: old.count, by: 2) where old[k] != 0 || old[k + 1] != 0 {
            insert(EventID(high: old[k], low: old[k + 1]))
        }
    }
}

