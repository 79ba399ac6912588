import CNCurses
#if canImport(Glibc)
import Glibc
#endif

/// Display width as the terminal sees it: the C library's wcwidth, which ncurses uses too, so a
/// string measured here occupies exactly that many cells on screen.
public enum TextWidth {
    /// Makes wcwidth answer for Unicode: the user's locale if it is UTF-8, else C.UTF-8.
    /// Returns false when the user's own locale was not UTF-8 (the console says so).
    @discardableResult
    public static func prepareLocale() -> Bool {
        setlocale(LC_ALL, "")
        if isUTF8 { return true }
        setlocale(LC_CTYPE, "C.UTF-8")
        return false
    }

    static var isUTF8: Bool {
        guard let cs = nl_langinfo(nl_item(CODESET)) else { return false }
        let name = String(cString: cs).uppercased()
        return name == "UTF-8" || name == "UTF8"
    }

    /// Cells one scalar takes: 0 for combining marks, 2 for CJK, 1 otherwise. Control
    /// characters (wcwidth -1) count as 1 because the grid replaces them with a visible mark.
    public static func of(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v < 0x7F { return v < 0x20 ? 1 : 1 }
        let w = Int(sg_wcwidth(wchar_t(bitPattern: v)))
        return w < 0 ? 1 : w
    }

    /// Cells a character (grapheme cluster) takes: its first scalar's width; combining marks add none.
    public static func of(_ character: Character) -> Int {
        guard let first = character.unicodeScalars.first else { return 0 }
        return max(of(first), character.unicodeScalars.count > 1 ? 1 : 0)
    }

    public static func of(_ text: some StringProtocol) -> Int {
        var total = 0
        for c in text { total += of(c) }
        return total
    }

    /// The longest prefix that fits in `width` cells, never splitting a character.
    public static func clip(_ text: some StringProtocol, to width: Int) -> String {
        var used = 0
        var out = ""
        for c in text {
            let w = of(c)
            if used + w > width { break }
            used += w
            out.append(c)
        }
        return out
    }

    /// Fits `text` in `width` cells; when it is cut, ends with `marker` (ASCII "~": an ambiguous-width "…" would be measured differently by
    /// CJK terminals), still never splitting a wide character.
    public static func truncate(_ text: some StringProtocol, to width: Int, marker: String = "~") -> String {
        guard width > 0 else { return "" }
        if of(text) <= width { return String(text) }
        let markerWidth = of(marker)
        guard markerWidth < width else { return clip(text, to: width) }
        return clip(text, to: width - markerWidth) + marker
    }

    /// `text` truncated or padded with spaces to exactly `width` cells.
    public static func pad(_ text: some StringProtocol, to width: Int, alignRight: Bool = false) -> String {
        let cut = truncate(text, to: width)
        let gap = String(repeating: " ", count: max(0, width - of(cut)))
        return alignRight ? gap + cut : cut + gap
    }
}
