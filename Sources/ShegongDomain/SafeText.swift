/// Text from records made safe for where a person reads it. A name is typed by someone else: in a
/// terminal its control characters could retitle the window, write the clipboard (OSC 52) or
/// clear the screen; in a spreadsheet a leading `=` makes it a formula. JSON needs none of this:
/// its escapes keep the value exact.
public enum SafeText {
    /// Controls a terminal would act on: C0 (except those kept), DEL, C1, and the bidirectional
    /// overrides and isolates that make text display in another order than it is stored.
    static func isUnsafe(_ v: UInt32) -> Bool {
        v < 0x20 || (0x7F...0x9F).contains(v) || v == 0x061C || v == 0x200E || v == 0x200F
            || (0x2028...0x202E).contains(v) || (0x2066...0x2069).contains(v)
    }

    /// The text with every unsafe character shown as a visible escape such as `\x1B` or `\u202E`.
    /// `keepLineBreaks` keeps `\n` (multi-line documents such as a certificate).
    public static func terminal(_ s: String, keepLineBreaks: Bool = false) -> String {
        guard s.unicodeScalars.contains(where: { isUnsafe($0.value) && !(keepLineBreaks && $0.value == 0x0A) }) else { return s }
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars {
            if !isUnsafe(u.value) || (keepLineBreaks && u.value == 0x0A) { out.append(u); continue }
            let hex = String(u.value, radix: 16, uppercase: true)
            let escape = u.value <= 0xFF ? "\\x" + String(repeating: "0", count: 2 - hex.count) + hex : "\\u" + hex
            out.append(contentsOf: escape.unicodeScalars)
        }
        return String(out)
    }

    /// One CSV cell: unsafe characters escaped (line breaks kept, inside quotes), a cell a
    /// spreadsheet would run as a formula (`= + - @`, tab, CR first, after any zero-width
    /// characters, or their full-width forms) prefixed with `'`, and quoted
    /// when it holds a comma, quote or line break. Numbers such as `-3` stay numbers.
    public static func csvCell(_ s: String) -> String {
        var cell = terminal(s, keepLineBreaks: true)
        // Invisible characters in front do not hide a formula, nor does the full-width form of its sign.
        if let first = s.unicodeScalars.first(where: { !zeroWidth.contains($0.value) }),
           "=+-@\t\r＝＋－＠".unicodeScalars.contains(first), Double(s) == nil {
            cell = "'" + cell
        }
        guard cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return cell }
        return "\"" + cell.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }

    /// Zero-width characters, which may stand unseen in front of a formula.
    static let zeroWidth: Set<UInt32> = [0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF]

    /// A CSV line of cells.
    public static func csvLine(_ cells: [String]) -> String { cells.map(csvCell).joined(separator: ",") + "\n" }
}
