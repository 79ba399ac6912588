#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Makes the String of a short text once and gives that one back when the same bytes come again.
/// A replay reads the same few dozen accounts, workers and activities on most of a million lines,
/// and making a String from bytes (checking them, then building it) cost more than all else the
/// line's facts took. Only texts of up to 15 bytes, which a String holds in itself, with nothing
/// to count or free, are kept; longer ones are made each time. Dates likewise (`day`): a day's
/// records name it, and the days around it, again and again. One thread uses an interner at a time.
public final class TextInterner {
    /// A text's bytes in two words, its length in the top byte of the second (which a text of
    /// at most 15 bytes never fills), so an empty slot matches nothing.
    struct Slot {
        var low: UInt64 = 0
        var high: UInt64 = 0
        var text = ""
    }

    /// The interner's places, for a parser to hold without counting references: a retain and
    /// release per text would cost more than making it. Valid while the interner lives.
    public struct Table {
        static let bits = 10
        let slots: UnsafeMutablePointer<Slot>
        /// The last days read, by their day of the month: the date's ten bytes, in two words, and its day.
        static let dayBits = 3
        let days: UnsafeMutablePointer<(low: UInt64, high: UInt16, day: Day?)>

        /// The day of a date's bytes, as `Day(isoBytes:)` reads it.
        @inline(__always)
        public func day(_ bytes: UnsafeBufferPointer<UInt8>) -> Day? {
            guard bytes.count == 10 else { return Day(isoBytes: bytes) }
            let base = UnsafeRawPointer(bytes.baseAddress!)
            let low = base.loadUnaligned(as: UInt64.self), high = base.loadUnaligned(fromByteOffset: 8, as: UInt16.self)
            let slot = days + Int((bytes[9] &+ bytes[8] &* 2) & ((1 << Self.dayBits) - 1))
            if slot.pointee.low == low, slot.pointee.high == high { return slot.pointee.day }
            let day = Day(isoBytes: bytes)
            slot.pointee = (low, high, day)
            return day
        }

        /// The text of `bytes`, as `String(decoding:as: UTF8.self)` makes it.
        @inline(__always)
        public func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
            let count = bytes.count
            guard count > 0, count <= 15 else { return String(decoding: bytes, as: UTF8.self) }
            var words: (UInt64, UInt64) = (0, 0)
            withUnsafeMutableBytes(of: &words) { _ = memcpy($0.baseAddress!, bytes.baseAddress!, count) }
            let low = words.0, high = words.1 | UInt64(count) << 56
            let index = Int(truncatingIfNeeded: (low &* 0x9E37_79B9_7F4A_7C15 ^ high &* 0xC2B2_AE3D_27D4_EB4F) >> (64 - UInt64(Self.bits)))
            let slot = slots + index
            if slot.pointee.low == low, slot.pointee.high == high { return slot.pointee.text }
            let text = String(decoding: bytes, as: UTF8.self)
            slot.pointee = Slot(low: low, high: high, text: text)
            return text
        }
    }

    public let table: Table

    public init() {
        let slots = UnsafeMutablePointer<Slot>.allocate(capacity: 1 << Table.bits)
        slots.initialize(repeating: Slot(), count: 1 << Table.bits)
        // Ten zero bytes are no date, and read as none.
        let days = UnsafeMutablePointer<(low: UInt64, high: UInt16, day: Day?)>.allocate(capacity: 1 << Table.dayBits)
        days.initialize(repeating: (0, 0, nil), count: 1 << Table.dayBits)
        table = Table(slots: slots, days: days)
    }

    deinit {
        table.slots.deinitialize(count: 1 << Table.bits)
        table.slots.deallocate()
        table.days.deallocate()
    }

    /// The day of a date's bytes, as `Day(isoBytes:)` reads it.
    public func day(_ bytes: UnsafeBufferPointer<UInt8>) -> Day? { table.day(bytes) }

    /// The text of `bytes`, as `String(decoding:as: UTF8.self)` makes it.
    public func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String { table.text(bytes) }
}
