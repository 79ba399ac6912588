#if canImport(Glibc)
import Glibc
#endif
import ShegongDomain
import ShegongStore

/// Unsaved form input, kept per account and per store so a dropped SSH link, a crash or a kill
/// loses nothing: written (atomically, mode 0600 in a 0700 directory of the user's own) after
/// every change, offered back at the next start, removed once saved or discarded. Every touch of
/// these files happens with the setgid group privilege put down, through a new file with a random
/// name: a symlink the user plants in their own directory reaches only their own files.
public struct DraftStore: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    /// `$XDG_STATE_HOME/shegong` or `~/.local/state/shegong`, one file per store path.
    public static func forStore(_ storePath: String) -> DraftStore? {
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
        return DraftStore(path: "\(base)/draft-\(String(hash, radix: 16)).json")
    }

    public struct Draft: Equatable, Sendable {
        public var form: String
        public var values: [String: String]
        public var hidden: [String: String]
    }

    public func save(_ draft: Draft) {
        let json = JSON.object([
            JSONField("form", .string(draft.form)),
            JSONField("values", .object(draft.values.sorted { $0.key < $1.key }.map { JSONField($0.key, .string($0.value)) })),
            JSONField("hidden", .object(draft.hidden.sorted { $0.key < $1.key }.map { JSONField($0.key, .string($0.value)) })),
        ])
        var bytes: [UInt8] = []
        json.write(to: &bytes)
        try? GroupPrivilege.droppedWhile {
            try SafeFile.replace(path, mode: 0o600) { fd in bytes.withUnsafeBytes { SafeFile.writeAll(fd, $0) } }
        }
    }

    public func load() -> Draft? {
        guard let bytes = try? GroupPrivilege.droppedWhile({ try SafeFile.read(path, limit: 1 << 20) }) else { return nil }
        guard let json = try? JSON.parse(bytes), let form = json["form"]?.string else { return nil }
        func map(_ key: String) -> [String: String] {
            Dictionary((json[key]?.fields ?? []).compactMap { f in f.value.string.map { (f.key, $0) } }, uniquingKeysWith: { a, _ in a })
        }
        return Draft(form: form, values: map("values"), hidden: map("hidden"))
    }

    public func clear() { _ = try? GroupPrivilege.droppedWhile { unlink(path) } }
}
