#if canImport(Glibc)
import Glibc
#endif
import Yams

/// How many colours the terminal can show; every theme must work at each.
public enum ColorDepth: Int, Comparable, Sendable {
    case mono = 0, c8 = 8, c16 = 16, c256 = 256, truecolor = 16_777_216
    public static func < (a: ColorDepth, b: ColorDepth) -> Bool { a.rawValue < b.rawValue }

    /// From what the terminal reports (ncurses COLORS), with NO_COLOR forcing monochrome.
    public static func detect(colors: Int, noColor: Bool) -> ColorDepth {
        if noColor || colors < 8 { return .mono }
        if colors >= 16_777_216 { return .truecolor }
        if colors >= 256 { return .c256 }
        if colors >= 16 { return .c16 }
        return .c8
    }

    public static var noColorRequested: Bool {
        guard let v = getenv("NO_COLOR") else { return false }
        return !String(cString: v).isEmpty
    }
}

/// One colour as written in a theme: a chain from richest to poorest.
public enum ColorSpec: Equatable, Sendable {
    case rgb(UInt32)       // "#1c1c1c": truecolor
    case index(Int)        // 0...255: 256-colour palette
    case named(Int)        // "bright-white" (8...15) or "white" (0...7)
    case terminalDefault   // "default": the terminal's own colour

    static let names = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]

    init?(text: String) {
        let t = text.lowercased()
        if t == "default" { self = .terminalDefault; return }
        if t.hasPrefix("#"), t.count == 7, let v = UInt32(t.dropFirst(), radix: 16) { self = .rgb(v); return }
        if let i = Int(t), (0...255).contains(i) { self = .index(i); return }
        if t.hasPrefix("bright-"), let i = ColorSpec.names.firstIndex(of: String(t.dropFirst(7))) { self = .named(i + 8); return }
        if let i = ColorSpec.names.firstIndex(of: t) { self = .named(i); return }
        return nil
    }

    /// The number to give ncurses at `depth`, if this link of the chain works there.
    func value(at depth: ColorDepth) -> Int? {
        switch self {
        case .terminalDefault: return -1
        case .rgb(let v): return depth == .truecolor ? Int(v) : nil
        case .index(let i): return depth >= .c256 ? i : nil
        case .named(let i): return depth >= .c16 || i < 8 ? i : nil
        }
    }
}

public enum Attribute: String, Sendable, CaseIterable { case bold, reverse, underline, dim }

public struct RoleStyle: Equatable, Sendable {
    public var fg: [ColorSpec]
    public var bg: [ColorSpec]
    public var attributes: Set<Attribute>
    /// What the role uses without colour: bold, reverse and underline only.
    public var mono: Set<Attribute>
}

/// A role's look at one colour depth: ncurses colour numbers (-1 = default) and attributes.
public struct ResolvedStyle: Equatable, Hashable, Sendable {
    public var fg: Int
    public var bg: Int
    public var attributes: Set<Attribute>
}

public struct ResolvedTheme: Sendable {
    public var name: String
    public var depth: ColorDepth
    public var styles: [StyleRole: ResolvedStyle]
    public func style(_ role: StyleRole) -> ResolvedStyle { styles[role] ?? ResolvedStyle(fg: -1, bg: -1, attributes: []) }
}

public struct ThemeError: Error, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var key: String
    public var reason: String
    public var description: String { "\(file):\(line): \(key): \(reason)" }
}

/// A theme file (YAML, see themes/README.md): for each role, fg and bg as fallback chains and
/// attributes, plus a mono line of bold/reverse/underline.
public struct Theme: Sendable {
    public var name: String
    public var roles: [StyleRole: RoleStyle]

    public static func parse(_ text: String, file: String) throws(ThemeError) -> Theme {
        let node: Node?
        do { node = try Yams.compose(yaml: text) } catch let error as YamlError {
            var line = 0
            if case .scanner(_, _, let mark, _) = error { line = mark.line }
            if case .parser(_, _, let mark, _) = error { line = mark.line }
            throw ThemeError(file: file, line: line, key: "-", reason: "not valid YAML (\(error))")
        } catch {
            throw ThemeError(file: file, line: 0, key: "-", reason: "\(error)")
        }
        guard let root = node?.mapping else { throw ThemeError(file: file, line: 1, key: "-", reason: "expected a mapping") }
        let name = root["name"]?.string ?? file
        guard let rolesNode = root["roles"], let roles = rolesNode.mapping else {
            throw ThemeError(file: file, line: root["roles"]?.mark?.line ?? 1, key: "roles", reason: "missing roles")
        }
        var result: [StyleRole: RoleStyle] = [:]
        for (keyNode, value) in roles {
            let key = keyNode.string ?? ""
            let line = keyNode.mark?.line ?? 0
            guard let role = StyleRole(rawValue: key) else {
                throw ThemeError(file: file, line: line, key: key, reason: "unknown role (known: \(StyleRole.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            guard let m = value.mapping else { throw ThemeError(file: file, line: line, key: key, reason: "expected fg/bg/attrs/mono") }
            func chain(_ field: String) throws(ThemeError) -> [ColorSpec] {
                guard let n = m[field] else { return [.terminalDefault] }
                let items: [Node] = n.sequence.map { Array($0) } ?? [n]
                var out: [ColorSpec] = []
                for item in items {
                    guard let s = item.string, let c = ColorSpec(text: s) else {
                        throw ThemeError(file: file, line: item.mark?.line ?? line, key: "\(key).\(field)",
                                         reason: "\"\(item.string ?? "?")\" is not a colour (#rrggbb, 0-255, a colour name, bright-NAME or default)")
                    }
                    out.append(c)
                }
                return out
            }
            func attrs(_ field: String, allowed: [Attribute]) throws(ThemeError) -> Set<Attribute> {
                guard let n = m[field] else { return [] }
                let items: [Node] = n.sequence.map { Array($0) } ?? [n]
                var out = Set<Attribute>()
                for item in items {
                    guard let a = item.string.flatMap(Attribute.init(rawValue:)), allowed.contains(a) else {
                        throw ThemeError(file: file, line: item.mark?.line ?? line, key: "\(key).\(field)",
                                         reason: "\"\(item.string ?? "?")\" is not one of \(allowed.map(\.rawValue).joined(separator: ", "))")
                    }
                    out.insert(a)
                }
                return out
            }
            result[role] = RoleStyle(fg: try chain("fg"), bg: try chain("bg"), attributes: try attrs("attrs", allowed: Attribute.allCases),
                                     mono: try attrs("mono", allowed: [.bold, .reverse, .underline]))
        }
        return Theme(name: name, roles: result)
    }

    /// Reads a theme file through one descriptor: opened without blocking (a FIFO cannot hang
    /// the start), checked to be a regular file of sane size, then read from that same descriptor,
    /// so nothing can be swapped in between a check and the read.
    public static func load(path: String) throws(ThemeError) -> Theme {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw ThemeError(file: path, line: 0, key: "-", reason: errno == ENOENT ? "no such file" : "cannot read the file") }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFREG else {
            throw ThemeError(file: path, line: 0, key: "-", reason: "not a regular file")
        }
        guard st.st_size <= 256 << 10 else { throw ThemeError(file: path, line: 0, key: "-", reason: "larger than 256 KiB") }
        var bytes = [UInt8](repeating: 0, count: Int(st.st_size))
        var got = 0
        while got < bytes.count {
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + got, $0.count - got) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            got += n
        }
        return try parse(String(decoding: bytes[0..<got], as: UTF8.self), file: path)
    }

    /// The built-in fallback when no theme file can be used: readable at every depth.
    public static let builtIn: Theme = {
        func r(_ fg: String, _ bg: String = "default", _ attrs: Set<Attribute> = [], mono: Set<Attribute> = []) -> RoleStyle {
            RoleStyle(fg: [ColorSpec(text: fg)!], bg: [ColorSpec(text: bg)!], attributes: attrs, mono: mono)
        }
        return Theme(name: "built-in", roles: [
            .normal: r("default"), .dim: r("default", "default", [.dim]), .title: r("cyan", "default", [.bold], mono: [.bold]),
            .header: r("yellow", "default", [.bold], mono: [.bold, .underline]),
            .selection: r("black", "cyan", mono: [.reverse]), .selectionInactive: r("default", "default", [.underline], mono: [.underline]),
            .status: r("black", "white", mono: [.reverse]), .statusKey: r("blue", "white", [.bold], mono: [.reverse, .bold]),
            .tabActive: r("black", "cyan", [.bold], mono: [.reverse, .bold]), .tabInactive: r("default"),
            .input: r("default", "default", [.underline], mono: [.underline]),
            .inputFocused: r("white", "blue", mono: [.reverse]), .border: r("default"), .accent: r("cyan", mono: [.bold]),
            .error: r("red", "default", [.bold], mono: [.bold, .reverse]), .warning: r("yellow", "default", [.bold], mono: [.bold]),
            .ok: r("green"), .danger: r("red", "default", [.bold], mono: [.bold, .underline]), .dialog: r("default"),
            .highlight: r("black", "yellow", mono: [.reverse]),
        ])
    }()

    /// Picks, for each role, the first colour of each chain that `depth` can show.
    public func resolve(depth: ColorDepth) -> ResolvedTheme {
        var styles: [StyleRole: ResolvedStyle] = [:]
        for role in StyleRole.allCases {
            let style = roles[role] ?? Theme.builtIn.roles[role] ?? RoleStyle(fg: [], bg: [], attributes: [], mono: [])
            if depth == .mono {
                styles[role] = ResolvedStyle(fg: -1, bg: -1, attributes: style.mono)
            } else {
                let fg = style.fg.lazy.compactMap { $0.value(at: depth) }.first ?? -1
                let bg = style.bg.lazy.compactMap { $0.value(at: depth) }.first ?? -1
                styles[role] = ResolvedStyle(fg: fg, bg: bg, attributes: style.attributes)
            }
        }
        return ResolvedTheme(name: name, depth: depth, styles: styles)
    }
}

/// Finds a theme by name in the themes directory. A bad file yields the built-in theme and the
/// message to show, never a crash.
public enum ThemeLoader {
    /// `name` is a theme's name, never a path: letters, digits, `-` and `_`.
    public static func load(name: String, directories: [String]) -> (Theme, ThemeError?) {
        guard !name.isEmpty, name.utf8.allSatisfy({ $0 < 0x80 && (isalnum(Int32($0)) != 0 || $0 == 0x2D || $0 == 0x5F) }) else {
            return (.builtIn, ThemeError(file: "-", line: 0, key: "-", reason: "a theme is named by letters, digits, - and _ only"))
        }
        for dir in directories {
            let path = "\(dir)/\(name).yaml"
            let theme: Theme
            do { theme = try Theme.load(path: path) } catch where error.reason == "no such file" { continue } catch {
                let fallback = name == "default" ? nil : (try? Theme.load(path: "\(dir)/default.yaml"))
                return (fallback ?? .builtIn, error)
            }
            return (theme, nil)
        }
        return (.builtIn, ThemeError(file: "\(name).yaml", line: 0, key: "-", reason: "no such theme in \(directories.joined(separator: ", "))"))
    }
}
