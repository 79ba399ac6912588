#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Looks up records whose ids are mostly "PREFIX-n" at position n-1 (how ids are assigned
/// under the lock) without a dictionary entry each; only ids that break the pattern (imports)
/// are kept in `exceptions`. Saves a 600,000-entry dictionary rebuild on every start.
public struct SequentialIndex: Equatable, Sendable {
    /// The id's letter before the dash ("V" for visits).
    public let prefix: Unicode.Scalar
    public var exceptions: [String: Int32] = [:]

    public init(prefix: Unicode.Scalar) {
        precondition(prefix.isASCII, "a sequential id starts with one ASCII letter")
        self.prefix = prefix
    }

    func position(of id: String) -> Int? { Self.position(of: id, prefix: prefix) }

    /// n-1 for an id "PREFIX-n", else nil. Runs for every visit of a replay: bytes, no generics,
    /// and a letter rather than a second string to open.
    @inline(__always)
    static func position(of id: String, prefix: Unicode.Scalar) -> Int? {
        var id = id
        let letter = UInt8(truncatingIfNeeded: prefix.value)
        return id.withUTF8 { u in u.count > 1 && u[0] == letter ? number(u, after: 1) : nil }
    }

    /// n-1 for an id written as "PREFIX-n" is written: no zero before n's first digit. Only one id
    /// gives each place, so a place known to hold its own id (`SequentialPlaces`) answers for it.
    @inline(__always)
    static func canonicalPosition(of id: String, prefix: Unicode.Scalar) -> Int? {
        var id = id
        let letter = UInt8(truncatingIfNeeded: prefix.value)
        return id.withUTF8 { u in u.count > 2 && u[0] == letter && u[2] != UInt8(ascii: "0") ? number(u, after: 1) : nil }
    }

    /// `canonicalPosition` for a prefix of more than a letter ("VOL").
    @inline(__always)
    static func canonicalPosition(of id: String, prefix: StaticString) -> Int? {
        var id = id
        let count = prefix.utf8CodeUnitCount
        return id.withUTF8 { u in
            u.count > count + 1 && memcmp(u.baseAddress!, prefix.utf8Start, count) == 0 && u[count + 1] != UInt8(ascii: "0")
                ? number(u, after: count) : nil
        }
    }

    /// n-1 when the bytes from `start` are a dash and one to ten digits n.
    @inline(__always)
    private static func number(_ u: UnsafeBufferPointer<UInt8>, after start: Int) -> Int? {
        guard u.count > start + 1, u.count <= start + 11, u[start] == UInt8(ascii: "-") else { return nil }
        var n = 0
        for i in (start + 1)..<u.count {
            let d = u[i] &- 0x30
            guard d < 10 else { return nil }
            n = n * 10 + Int(d)
        }
        return n - 1
    }

    /// The index of `id` among `ids`, if present.
    public func lookup(_ id: String, ids: (Int) -> String, count: Int) -> Int32? {
        if let p = position(of: id), p >= 0, p < count, ids(p) == id { return Int32(p) }
        return exceptions[id]
    }

    /// Records that `id` is at `index`.
    public mutating func add(_ id: String, at index: Int) {
        if position(of: id) != index { exceptions[id] = Int32(index) }
    }
}

/// Which places of a list hold the id their place gives out ("P-n" at n-1, as written, see
/// `SequentialIndex.canonicalPosition`): one bit each, so asking costs no read of the record.
struct SequentialPlaces: Equatable, Sendable {
    private var words: [UInt64] = []
    private(set) var count = 0

    mutating func append(_ inPlace: Bool) {
        if count % 64 == 0 { words.append(0) }
        if inPlace { words[count / 64] |= 1 << UInt64(count % 64) }
        count += 1
    }

    /// Whether `place` holds its own id (false for a place past the end, or none).
    @inline(__always)
    func contains(_ place: Int?) -> Bool {
        guard let place, place >= 0, place < count else { return false }
        return words[place / 64] & (1 << UInt64(place % 64)) != 0
    }
}
