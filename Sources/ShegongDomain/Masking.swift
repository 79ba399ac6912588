/// How sensitive values look when the viewer has not explicitly asked (and been allowed) to see
/// them in full: enough to recognise a record, not enough to misuse it.
public enum Mask {
    public static func idNumber(_ id: String) -> String {
        let chars = Array(id)
        guard chars.count > 8 else { return String(repeating: "*", count: chars.count) }
        return String(chars.prefix(4)) + String(repeating: "*", count: chars.count - 8) + String(chars.suffix(4))
    }

    public static func phone(_ phone: String) -> String {
        let chars = Array(phone)
        guard chars.count >= 7 else { return String(repeating: "*", count: chars.count) }
        return String(chars.prefix(3)) + String(repeating: "*", count: chars.count - 7) + String(chars.suffix(4))
    }

    public static let hidden = "***"
}
