/// A calendar day (proleptic Gregorian), counted from 1970-01-01. Visit dates, due dates and
/// report periods are days, not instants: a visit on 11-21 is on 11-21 in every time zone.
public struct Day: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var number: Int32

    public init(number: Int32) { self.number = number }

    public init(year: Int, month: Int, day: Int) {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        number = Int32(era * 146097 + doe - 719468)
    }

    public var components: (year: Int, month: Int, day: Int) {
        let z = Int(number) + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// Parses `YYYY-MM-DD` strictly (a real calendar date).
    public init?(iso text: String) {
        var text = text
        guard let day = text.withUTF8({ Day(isoBytes: $0) }) else { return nil }
        self = day
    }

    /// `YYYY-MM-DD` read from its fixed places, with no allocation: it runs for every event of a replay.
    public init?(isoBytes u: UnsafeBufferPointer<UInt8>) {
        guard u.count == 10, u[4] == 0x2D, u[7] == 0x2D, let y = Self.digits(u, 0, 4), let m = Self.digits(u, 5, 2),
              let d = Self.digits(u, 8, 2) else { return nil }
        self.init(checkedYear: y, month: m, day: d)
    }

    /// The decimal number written by `count` digits at `start`, or nil if one is not a digit.
    /// Inlined into both of the replay's date reads, where a call per field cost more than the digits.
    @inline(__always)
    static func digits(_ u: UnsafeBufferPointer<UInt8>, _ start: Int, _ count: Int) -> Int? {
        var v = 0
        for i in start..<(start + count) {
            let d = u[i] &- 0x30
            guard d < 10 else { return nil }
            v = v * 10 + Int(d)
        }
        return v
    }

    public init?(checkedYear y: Int, month m: Int, day d: Int) {
        guard (1900...2999).contains(y), (1...12).contains(m), d >= 1, d <= Self.length(ofMonth: m, in: y) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    static func length(ofMonth m: Int, in y: Int) -> Int {
        switch m {
        case 2: return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    public var iso: String {
        let (y, m, d) = components
        return "\(y)-\(m < 10 ? "0" : "")\(m)-\(d < 10 ? "0" : "")\(d)"
    }

    public var description: String { iso }

    public func adding(days: Int) -> Day { Day(number: number + Int32(days)) }

    /// Same day of month `months` later, clamped to the month's last day.
    public func adding(months: Int) -> Day {
        let (y, m, d) = components
        let total = y * 12 + (m - 1) + months
        let ny = total / 12, nm = total % 12 + 1
        var nd = d
        while Day(checkedYear: ny, month: nm, day: nd) == nil && nd > 28 { nd -= 1 }
        return Day(year: ny, month: nm, day: nd)
    }

    public static func < (a: Day, b: Day) -> Bool { a.number < b.number }
    public static func - (a: Day, b: Day) -> Int { Int(a.number - b.number) }

    public var firstOfMonth: Day { let c = components; return Day(year: c.year, month: c.month, day: 1) }

    /// Age in whole years on `day`.
    public func age(on day: Day) -> Int {
        let b = components, t = day.components
        var age = t.year - b.year
        if (t.month, t.day) < (b.month, b.day) { age -= 1 }
        return age
    }
}

/// An instant, in whole seconds since 1970 UTC. Order in the log comes from log position, never
/// from this: a clock stepped backwards changes nothing but what people read.
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var seconds: Int64
    public init(seconds: Int64) { self.seconds = seconds }

    public static func < (a: Timestamp, b: Timestamp) -> Bool { a.seconds < b.seconds }

    /// The calendar day at a fixed UTC offset (China Standard Time is +8 h, no DST).
    public func day(utcOffsetSeconds: Int = 8 * 3600) -> Day {
        let s = seconds + Int64(utcOffsetSeconds)
        return Day(number: Int32((s >= 0 ? s : s - 86399) / 86400))
    }

    /// ISO 8601 in UTC, e.g. 2026-11-21T01:30:00Z.
    public var iso: String {
        let day = Day(number: Int32((seconds >= 0 ? seconds : seconds - 86399) / 86400))
        let rem = Int(seconds - Int64(day.number) * 86400)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(day.iso)T\(two(rem / 3600)):\(two(rem / 60 % 60)):\(two(rem % 60))Z"
    }

    public var description: String { iso }

    /// Local wall-clock text, `YYYY-MM-DD HH:MM`, for people.
    public func local(utcOffsetSeconds: Int = 8 * 3600) -> String {
        let shifted = Timestamp(seconds: seconds + Int64(utcOffsetSeconds)).iso
        return "\(shifted.prefix(10)) \(shifted.dropFirst(11).prefix(5))"
    }

    /// Parses the form `iso` writes, UTC only.
    public init?(iso text: String) {
        var text = text
        guard let t = text.withUTF8({ Timestamp(isoBytes: $0) }) else { return nil }
        self = t
    }

    /// The same from raw bytes (a replay parses one per event, without making a String).
    public init?(isoBytes u: UnsafeBufferPointer<UInt8>) { self.init(isoBytes: u, date: Day(isoBytes: Self.datePart(of: u))) }

    /// The bytes of the date a time's text begins with (`init?(isoBytes:date:)`), or none.
    @inline(__always)
    public static func datePart(of u: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: u[0..<min(10, u.count)])
    }

    /// As `init?(isoBytes:)`, given the day of its first ten bytes (`datePart`; nil when they
    /// name none): a replay reads the dates it has read before from a memo (`TextInterner`).
    @inline(__always)
    public init?(isoBytes u: UnsafeBufferPointer<UInt8>, date: Day?) {
        guard u.count >= 20, u[10] == 0x54, u[13] == 0x3A, u[16] == 0x3A, u[u.count - 1] == UInt8(ascii: "Z"),
              let h = Day.digits(u, 11, 2), let mi = Day.digits(u, 14, 2), let s = Day.digits(u, 17, 2), h < 24, mi < 60, s < 61,
              let date else { return nil }
        seconds = Int64(date.number) * 86400 + Int64(h * 3600 + mi * 60 + s)
    }
}
