#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Makes the String of a short text once and gives that one back when the same bytes come again.
/// A replay reads the same few dozen accounts, workers and activities on most of a million lines,
/// and making a String from bytes (checking them, then building it) cost more than all else the
/// line's facts took. Only texts of up to 15 bytes, which a String holds in itself, with nothing
/// to count or free, are kept; longer ones are made each time. One thread uses an interner at a time.
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
        table = Table(slots: slots)
    }

    deinit {
        table.slots.deinitialize(count: 1 << Table.bits)
        table.slots.deallocate()
    }

    /// The text of `bytes`, as `String(decoding:as: UTF8.self)` makes it.
    public func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String { table.text(bytes) }
}
