#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Looks up records whose ids are mostly "PREFIX-n" at position n-1 (how ids are assigned
/// under the lock) without a dictionary entry each; only ids that break the pattern (imports)
/// are kept in `exceptions`. Saves a 600,000-entry dictionary rebuild on every start.
public struct SequentialIndex: Equatable, Sendable {
    public let prefix: String
    public var exceptions: [String: Int32] = [:]

    public init(prefix: String) { self.prefix = prefix }

    func position(of id: String) -> Int? { Self.position(of: id, prefix: prefix) }

    /// n-1 for an id "PREFIX-n", else nil. Runs for every visit of a replay: bytes, no generics.
    static func position(of id: String, prefix: String) -> Int? {
        var id = id, prefix = prefix
        return prefix.withUTF8 { pre in
            id.withUTF8 { u -> Int? in
                let p = pre.count
                guard u.count > p + 1, u.count <= p + 11, u[p] == UInt8(ascii: "-"), memcmp(u.baseAddress!, pre.baseAddress!, p) == 0 else { return nil }
                var n = 0
                for i in (p + 1)..<u.count {
                    let d = u[i] &- 0x30
                    guard d < 10 else { return nil }
                    n = n * 10 + Int(d)
                }
                return n - 1
            }
        }
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
