import Foundation

/// Today's date in the county's time zone, `yyyy-mm-dd`: Asia/Shanghai unless `$JIANCE_TIME_ZONE`
/// names another. A ledger row recorded at 07:30 in China is dated that day, also on a server
/// whose clock runs in UTC (a UTC date would be the day before).
public enum Today {
    /// The county's time zone.
    public static let timeZone: TimeZone = {
        ProcessInfo.processInfo.environment["JIANCE_TIME_ZONE"].flatMap(TimeZone.init(identifier:))
            ?? TimeZone(identifier: "Asia/Shanghai") ?? .current
    }()

    /// The county's calendar (Gregorian, in its time zone).
    public static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }()

    /// Today in the county's time zone.
    public static var date: CalendarDate {
        let parts = calendar.dateComponents([.year, .month, .day], from: Date())
        return CalendarDate(year: parts.year ?? 2000, month: parts.month ?? 1, day: parts.day ?? 1) ?? "2000-01-01"
    }

    /// Today as stored and printed, `yyyy-mm-dd`.
    public static var iso: String { date.description }

    /// A stored UTC timestamp (ISO 8601) in the county's time zone, `yyyy-MM-dd HH:mm`.
    public static func localTime(_ stored: String) -> String {
        guard let date = try? Date(stored, strategy: .iso8601) else { return stored }
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(
            format: "%04d-%02d-%02d %02d:%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0, parts.hour ?? 0,
            parts.minute ?? 0)
    }
}
