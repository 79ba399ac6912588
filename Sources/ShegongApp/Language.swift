#if canImport(Glibc)
import Glibc
#endif

/// The user's language: `--lang`, else LANG/LC_ALL/LC_MESSAGES (zh* means Chinese), else Chinese.
public enum Language: String, Sendable {
    case zh, en

    public static func resolve(_ flag: String?) -> Language {
        if let flag, let l = Language(rawValue: flag.lowercased()) { return l }
        for name in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let v = getenv(name).map({ String(cString: $0) }), !v.isEmpty {
                return v.lowercased().hasPrefix("zh") ? .zh : (v.hasPrefix("C") || v.hasPrefix("POSIX") ? .zh : .en)
            }
        }
        return .zh
    }

    public var isChinese: Bool { self == .zh }
}
