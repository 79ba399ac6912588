/// Looks up records whose ids are mostly "PREFIX-n" at position n-1 (how ids are assigned
/// under the lock) without a dictionary entry each; only ids that break the pattern (imports)
/// are kept in `exceptions`. Saves a 600,000-entry dictionary rebuild on every start.
public struct SequentialIndex: Equatable, Sendable {
    public let prefix: String
    public var exceptions: [String: Int32] = [:]

    public init(prefix: String) { self.prefix = prefix }

    func position(of id: String) -> Int? {
        var id = id
        return id.withUTF8 { u -> Int? in
            let p = prefix.utf8.count
            guard u.count > p + 1, u.count <= p + 11, u[p] == UInt8(ascii: "-"),
                  prefix.utf8.elementsEqual(UnsafeBufferPointer(rebasing: u[0..<p])) else { return nil }
            var n = 0
            for b in u[(p + 1)...] {
                guard b >= 0x30, b <= 0x39 else { return nil }
                n = n * 10 + Int(b - 0x30)
            }
            return n - 1
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
