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

    /// n-1 when the bytes from `start` are a dash and one to ten digits n.
    @inline(__always)
    fileprivate static func number(_ u: UnsafeBufferPointer<UInt8>, after start: Int) -> Int? {
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

/// Where each record of a list is, by id. Ids are nearly all "PREFIX-n" at n-1, written as they
/// are given out under the lock (no zero before n's first digit), and only one id names each
/// place: such a place is one bit, found without a read of the record or a dictionary entry.
/// Any other id (imported, carried, written another way) is kept in `others`. A start from a
/// checkpoint so builds no dictionary of every person, and a console does not hold one.
struct SequentialPlaces: Sendable {
    let prefix: StaticString
    private var words: [UInt64] = []
    private var others: [String: Int32] = [:]
    private(set) var count = 0

    init(prefix: StaticString) { self.prefix = prefix }

    /// Notes the next place's id, as a checkpoint's list is read, or false when an id out of its
    /// place came before. `othersAreUnique` checks the rest once the list is done.
    mutating func appendUnlessRepeated(_ id: String) -> Bool {
        if canonicalPlace(of: id) == count {
            note(inPlace: true)
        } else {
            guard others.updateValue(Int32(count), forKey: id) == nil else { return false }
            note(inPlace: false)
        }
        return true
    }

    /// False when an id at another place than its own repeats the one at its own place.
    var othersAreUnique: Bool { !others.keys.contains { place(of: $0) != nil } }

    /// Notes the next place's id; the caller has checked that no place holds it yet.
    mutating func append(_ id: String) {
        let inPlace = canonicalPlace(of: id) == count
        if !inPlace { others[id] = Int32(count) }
        note(inPlace: inPlace)
    }

    /// The next place, and whether it holds its own id (its bit).
    private mutating func note(inPlace: Bool) {
        if count % 64 == 0 { words.append(0) }
        if inPlace { words[count / 64] |= 1 << UInt64(count % 64) }
        count += 1
    }

    /// Where `id` is, if any place holds it.
    @inline(__always)
    func position(of id: String) -> Int32? {
        if let p = place(of: id) { return Int32(p) }
        return others.isEmpty ? nil : others[id]
    }

    /// The place of `id` when that place holds it, else nil.
    @inline(__always)
    private func place(of id: String) -> Int? {
        guard let place = canonicalPlace(of: id), place >= 0, place < count,
              words[place / 64] & (1 << UInt64(place % 64)) != 0 else { return nil }
        return place
    }

    /// n-1 for an id "PREFIX-n" written as it is given out, else nil.
    @inline(__always)
    private func canonicalPlace(of id: String) -> Int? {
        var id = id
        let n = prefix.utf8CodeUnitCount, letters = prefix.utf8Start
        return id.withUTF8 { u in
            guard u.count > n + 1, u[n + 1] != UInt8(ascii: "0") else { return nil }
            for i in 0..<n where u[i] != letters[i] { return nil }
            return SequentialIndex.number(u, after: n)
        }
    }
}

extension SequentialPlaces: Equatable {
    static func == (a: SequentialPlaces, b: SequentialPlaces) -> Bool { a.count == b.count && a.words == b.words && a.others == b.others }
}

/// Each id's position in `ids`, or nil when one repeats (a damaged or forged checkpoint, which
/// is refused rather than trapping in `Dictionary(uniqueKeysWithValues:)`).
func positionsByID(_ ids: some Sequence<String>) -> [String: Int32]? {
    var index: [String: Int32] = [:]
    for (i, id) in ids.enumerated() where index.updateValue(Int32(i), forKey: id) != nil { return nil }
    return index
}
