/// Why the domain refuses a change. Each says what to do in words a social worker understands;
/// the app layer translates them.
public enum DomainError: Error, Equatable, Sendable, CustomStringConvertible {
    case missingField(String)
    case invalidValue(field: String, value: String, expected: String)
    case unknown(kind: String, id: String)
    /// The record changed since the author read it. `latest` names who changed it and when.
    case conflict(subject: String, expected: Int, actual: Int, latest: String)
    case notAllowed(String)
    case invalidState(String)

    public var description: String {
        switch self {
        case .missingField(let f): return "missing field: \(f)"
        case .invalidValue(let f, let v, let e): return "invalid \(f) \"\(v)\": expected \(e)"
        case .unknown(let k, let id): return "unknown \(k): \(id)"
        case .conflict(let s, let e, let a, let latest):
            return "\(s) was changed by someone else (you edited version \(e), it is now version \(a): \(latest)); "
                + "your input was kept, review the newer version and save again"
        case .notAllowed(let why): return "not allowed: \(why)"
        case .invalidState(let why): return why
        }
    }
}
