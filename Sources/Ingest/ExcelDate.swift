import Standards

/// Excel date serials and number formats (ECMA-376 Part 1, §18.8.30 numFmt and §18.17.4 dates).
public enum ExcelDate {
    /// Built-in number format ids that show a date or time: 14–22 and 45–47 in every locale, and
    /// 27–36 and 50–58, which the zh-CN locale maps to `yyyy"年"m"月"d"日"` and similar.
    static let builtInDateFormats: Set<Int> = Set(14...22).union(27...36).union(45...47).union(50...58)

    /// True when a cell with number format `id` holds a date or time.
    public static func isDateFormat(id: Int, customFormats: [Int: String]) -> Bool {
        if let code = customFormats[id] { return isDateFormatCode(code) }
        return builtInDateFormats.contains(id)
    }

    /// A custom format is a date when, outside quoted literals, escapes and `[...]` sections
    /// (colours, locales, elapsed time), it has a y, d, h or s code (m alone is ambiguous).
    static func isDateFormatCode(_ code: String) -> Bool {
        var inQuotes = false
        var inBracket = false
        var escaped = false
        for character in code.lowercased() {
            if escaped {
                escaped = false
                continue
            }
            switch character {
            case "\\": escaped = true
            case "\"": inQuotes.toggle()
            case "[" where !inQuotes: inBracket = true
            case "]" where !inQuotes: inBracket = false
            case "y", "d", "h", "s", "e":  // e: the Chinese era year
                if !inQuotes && !inBracket { return true }
            default: continue
            }
        }
        return false
    }

    /// The serial as `yyyy-MM-dd`, `yyyy-MM-dd HH:mm:ss`, or `HH:mm:ss` for pure times; nil when
    /// out of Excel's range. Serial 60 is Excel's fictitious 1900-02-29 (kept for Lotus
    /// compatibility), shown as 1900-02-28 + 1.
    public static func text(fromSerial serial: Double, uses1904Epoch: Bool) -> String? {
        guard serial.isFinite, serial >= 0, serial < 2_958_466 else { return nil }
        var days = Int(serial.rounded(.down))
        let seconds = Int(((serial - Double(days)) * 86_400).rounded())
        var secondOfDay = seconds
        if secondOfDay >= 86_400 {
            days += 1
            secondOfDay -= 86_400
        }
        let time =
            String(format2: secondOfDay / 3600) + ":" + String(format2: secondOfDay / 60 % 60) + ":"
            + String(format2: secondOfDay % 60)
        if days == 0 && !uses1904Epoch { return time }
        let civil: (Int, Int, Int)
        if uses1904Epoch {
            civil = civilDate(daysSince1970: days + CalendarDate.dayNumber(year: 1904, month: 1, day: 1))
        } else if days == 60 {
            civil = (1900, 2, 29)
        } else {
            // Serial 1 is 1900-01-01; serials after 60 are one day ahead because of the fake leap day.
            let offset = days < 60 ? days - 1 : days - 2
            civil = civilDate(daysSince1970: offset + CalendarDate.dayNumber(year: 1900, month: 1, day: 1))
        }
        let date = "\(civil.0)-\(String(format2: civil.1))-\(String(format2: civil.2))"
        return secondOfDay == 0 ? date : date + " " + time
    }

    /// The proleptic Gregorian date of a day count from 1970-01-01 (`civil_from_days`).
    public static func civilDate(daysSince1970 days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex + (monthIndex < 10 ? 3 : -9)
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

extension String {
    /// A non-negative number with at least two digits (`7` → `07`).
    init(format2 value: Int) {
        self = value < 10 ? "0\(value)" : "\(value)"
    }
}
