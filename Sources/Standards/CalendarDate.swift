import Foundation

/// A day of the calendar (no time, no time zone): what a screening, a follow-up or "today" is.
/// Stored and printed as `yyyy-mm-dd`, compared and counted as days, so that a deadline such as
/// "reviewed within 3 days" is arithmetic on days rather than on text or on instants.
public struct CalendarDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    public let year: Int
    public let month: Int
    public let day: Int

    /// A real date of the Gregorian calendar, else nil (2025-02-29 is not one).
    public init?(year: Int, month: Int, day: Int) {
        guard (1900...2199).contains(year), (1...12).contains(month),
            (1...Self.days(inMonth: month, of: year)).contains(day)
        else { return nil }
        (self.year, self.month, self.day) = (year, month, day)
    }

    /// `yyyy-mm-dd` as stored; nil for anything else.
    public init?(iso text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
        else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// A literal in code (tests, fixed dates); a malformed one is a programming error.
    public init(stringLiteral value: String) {
        guard let date = CalendarDate(iso: value) else { preconditionFailure("不是有效日期：\(value)") }
        self = date
    }

    /// `yyyy-mm-dd`, its ten bytes written in place (every year has four digits, 1900–2199): a
    /// student's birth date is written on every imported row, and joining padded strings cost
    /// two thousand instructions a date.
    public var description: String {
        String(unsafeUninitializedCapacity: 10) { bytes in
            func digits(_ value: Int, from start: Int, count: Int) {
                var rest = value
                for offset in (start..<start + count).reversed() {
                    bytes[offset] = UInt8(0x30 + rest % 10)
                    rest /= 10
                }
            }
            digits(year, from: 0, count: 4)
            bytes[4] = 0x2D
            digits(month, from: 5, count: 2)
            bytes[7] = 0x2D
            digits(day, from: 8, count: 2)
            return 10
        }
    }

    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// Days since 1970-01-01.
    public var dayNumber: Int { Self.dayNumber(year: year, month: month, day: day) }

    /// Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's `days_from_civil`), for
    /// any year, month and day numbers (Excel's serial dates count from here too).
    public static func dayNumber(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// Days from this date to `other` (negative when `other` is earlier).
    public func days(to other: CalendarDate) -> Int { other.dayNumber - dayNumber }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = CalendarDate(iso: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "不是有效日期：\(text)"))
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    static func days(inMonth month: Int, of year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
