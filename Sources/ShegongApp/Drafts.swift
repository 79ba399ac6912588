#if canImport(Glibc)
import Glibc
#endif
import ShegongDomain
import ShegongStore

/// A small file of the user's own, one per store (`$XDG_STATE_HOME/shegong` or
/// `~/.local/state/shegong`, mode 0600 in a 0700 directory). Every touch of it happens with the
/// setgid group privilege put down, through a new file with a random name: a symlink the user
/// plants in their own directory reaches only their own files.
public struct UserStateFile: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    /// The file of this `kind` ("draft", "views") for the store at `storePath`.
    public static func forStore(_ storePath: String, kind: String) -> UserStateFile? {
        let base: String
        if let x = getenv("XDG_STATE_HOME").map({ String(cString: $0) }), !x.isEmpty { base = x + "/shegong" }
        else if let pw = getpwuid(getuid()), let home = pw.pointee.pw_dir { base = String(cString: home) + "/.local/state/shegong" }
        else { return nil }
        _ = try? GroupPrivilege.droppedWhile {
            var dir = ""
            for part in base.split(separator: "/") {
                dir += "/" + part
                mkdir(dir, 0o700)
            }
            chmod(base, 0o700)
        }
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in storePath.utf8 { hash = (hash ^ UInt64(b)) &* 0x100_0000_01B3 }
        return UserStateFile(path: "\(base)/\(kind)-\(String(hash, radix: 16)).json")
    }

    public func write(_ json: JSON) {
        var bytes: [UInt8] = []
        json.write(to: &bytes)
        try? GroupPrivilege.droppedWhile {
            try SafeFile.replace(path, mode: 0o600) { fd in bytes.withUnsafeBytes { SafeFile.writeAll(fd, $0) } }
        }
    }

    public func read() -> JSON? {
        guard let bytes = try? GroupPrivilege.droppedWhile({ try SafeFile.read(path, limit: 1 << 20) }) else { return nil }
        return try? JSON.parse(bytes)
    }

    public func remove() { _ = try? GroupPrivilege.droppedWhile { unlink(path) } }

    static func strings(_ json: JSON?) -> [String: String] {
        Dictionary((json?.fields ?? []).compactMap { f in f.value.string.map { (f.key, $0) } }, uniquingKeysWith: { a, _ in a })
    }

    static func object(_ values: [String: String]) -> JSON {
        .object(values.sorted { $0.key < $1.key }.map { JSONField($0.key, .string($0.value)) })
    }
}

/// Unsaved form input, kept per account and per store so a dropped SSH link, a crash or a kill
/// loses nothing: written after every change, offered back at the next start, removed once
/// saved or discarded.
public struct DraftStore: Sendable {
    let file: UserStateFile
    public var path: String { file.path }

    public init(path: String) { file = UserStateFile(path: path) }

    public static func forStore(_ storePath: String) -> DraftStore? {
        UserStateFile.forStore(storePath, kind: "draft").map { DraftStore(path: $0.path) }
    }

    public struct Draft: Equatable, Sendable {
        public var form: String
        public var values: [String: String]
        public var hidden: [String: String]
    }

    public func save(_ draft: Draft) {
        file.write(.object([JSONField("form", .string(draft.form)), JSONField("values", UserStateFile.object(draft.values)),
                            JSONField("hidden", UserStateFile.object(draft.hidden))]))
    }

    public func load() -> Draft? {
        guard let json = file.read(), let form = json["form"]?.string else { return nil }
        return Draft(form: form, values: UserStateFile.strings(json["values"]), hidden: UserStateFile.strings(json["hidden"]))
    }

    public func clear() { file.remove() }
}
