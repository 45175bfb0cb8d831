import Standards

/// Parsers for the values people type into Excel: full-width digits and punctuation, stray
/// spaces, numbers stored as text, and dates in the forms Chinese offices use.
public enum ValueParsing {
    /// Full-width ASCII (U+FF01…U+FF5E) to half-width, the ideographic space to a space, and
    /// trimmed: `　１２３．５ ` → `123.5`.
    public static func normalize(_ text: String) -> String {
        // Fast path: nothing to fold or trim (most cells of a results file).
        guard text.containsUTF8Byte(where: { $0 <= 0x20 || $0 >= 0xE3 }) else { return text }
        guard
            text.unicodeScalars.contains(where: {
                $0.value == 0x3000 || (0xFF01...0xFF5E).contains($0.value) || $0.isSpace
            })
        else { return text }
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0xFF01...0xFF5E: scalars.append(Unicode.Scalar(scalar.value - 0xFEE0)!)
            case 0x3000: scalars.append(" ")
            default: scalars.append(scalar)
            }
        }
        return String(scalars).trimmingSpaces
    }

    /// The number of a cell that is plain ASCII `digits` or `digits.digits` with at most 15
    /// digits (`1250`, `8.5`, `122.70`), read straight from its bytes; nil for anything else,
    /// which the general parsers read. Most cells of a results file are such numbers, and
    /// `Double(String)` cost a thousand instructions each. The value is the integer of the digits
    /// divided by a power of ten, both exact in a Double, so the one rounding of the division
    /// gives the same Double as parsing the text.
    public static func plainDecimal(_ text: String) -> Double? {
        var contiguous = text
        return contiguous.withUTF8 { bytes -> Double? in
            guard !bytes.isEmpty, bytes.count <= 16 else { return nil }
            var mantissa: Int64 = 0
            var digits = 0
            var fractionDigits = 0
            var point = false
            for byte in bytes {
                if byte >= 0x30 && byte <= 0x39 {
                    mantissa = mantissa * 10 + Int64(byte - 0x30)
                    digits += 1
                    if point { fractionDigits += 1 }
                } else if byte == 0x2E && !point && digits > 0 {
                    point = true
                } else {
                    return nil
                }
            }
            guard digits <= 15, !point || fractionDigits > 0 else { return nil }
            return fractionDigits == 0 ? Double(mantissa) : Double(mantissa) / powersOfTen[fractionDigits]
        }
    }

    /// 10⁰ … 10¹⁵, each exact in a Double.
    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    ]

    /// A decimal number from text such as `１２３.５`, ` 8.5 `, `1,234`; nil when not a number.
    public static func number(_ text: String) -> Double? {
        if let plain = plainDecimal(text) { return plain }
        var value = normalize(text)
        // Thousands separators and stray inner spaces, checked on bytes (no Foundation search).
        if value.containsUTF8Byte(where: { $0 == 0x2C || $0 == 0x20 }) {
            value = String(value.filter { $0 != "," && $0 != " " })
        }
        guard !value.isEmpty,
            !value.containsUTF8Byte(where: {
                !(($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2B || $0 == 0x2D || $0 == 0x2E || $0 == 0x65 || $0 == 0x45)
            })
        else { return nil }
        guard let number = Double(value), number.isFinite else { return nil }
        return number
    }

    /// True when `text` is exactly how the number it holds prints back (`1250`, `122.7`, `-3.5`):
    /// plain ASCII digits, no leading or trailing zeros, no plus sign, spaces or separators.
    public static func isCanonicalDecimal(_ text: String) -> Bool {
        var contiguous = text
        return contiguous.withUTF8 { all in
            guard all.count <= 15 else { return false }
            let negative = all.first == 0x2D
            let bytes = negative ? UnsafeBufferPointer(rebasing: all.dropFirst()) : all
            guard let first = bytes.first, (0x30...0x39).contains(first) else { return false }
            var point = false
            var whole = 0
            var fraction = 0
            for byte in bytes {
                switch byte {
                case 0x2E where !point: point = true
                case 0x30...0x39: if point { fraction += 1 } else { whole += 1 }
                default: return false
                }
            }
            if first == 0x30, whole > 1 || (!point && negative) { return false }  // 0123, -0
            return !point || (fraction > 0 && bytes.last != 0x30)
        }
    }

    /// A calendar date as (year, month, day) from `2015-03-04`, `2015/3/4`, `2015.3.4`,
    /// `2015年3月4日`, `20150304`, an Excel date cell (already `2015-03-04` from the reader), or
    /// an Excel serial number stored as text; nil when not a real date.
    public static func date(_ text: String) -> CalendarDate? {
        if let quick = asciiDate(text.utf8) { return quick }
        let value = normalize(text)
        if value.count == 8, value.allSatisfy(\.isNumber), let number = Int(value) {
            return validDate(number / 10000, number / 100 % 100, number % 100)
        }
        if value.allSatisfy({ $0.isNumber || $0 == "." }), !value.contains("."), let serial = Double(value),
            serial > 1000, serial < 80_000
        {
            if let iso = ExcelDate.text(fromSerial: serial, uses1904Epoch: false) { return date(iso) }
        }
        let datePart = value.split(separator: " ").first.map(String.init) ?? value
        let parts = datePart.split(whereSeparator: { "-/.年月日".contains($0) }).map(String.init)
        guard parts.count == 3, parts.allSatisfy({ $0.allSatisfy(\.isNumber) }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]), parts[0].count == 4
        else { return nil }
        return validDate(year, month, day)
    }

    /// The common `2015-03-04` / `2015/3/4` / `2015.3.4` read straight from the bytes (most cells
    /// of a roster or results file); nil sends the text down the general path.
    private static func asciiDate(_ bytes: String.UTF8View) -> CalendarDate? {
        var fields = [0, 0, 0]
        var digits = [0, 0, 0]
        var field = 0
        var separator: UInt8?
        for byte in bytes {
            switch byte {
            case 0x30...0x39:
                fields[field] = fields[field] * 10 + Int(byte - 0x30)
                digits[field] += 1
                guard digits[field] <= (field == 0 ? 4 : 2) else { return nil }
            case 0x2D, 0x2F, 0x2E:
                guard field < 2, digits[field] > 0, separator == nil || separator == byte else { return nil }
                separator = byte
                field += 1
            default:
                return nil
            }
        }
        guard field == 2, digits[0] == 4, digits[2] > 0 else { return nil }
        return validDate(fields[0], fields[1], fields[2])
    }

    /// The county's dates lie between 1900 and 2100; CalendarDate checks the day of the month.
    private static func validDate(_ year: Int, _ month: Int, _ day: Int) -> CalendarDate? {
        guard (1900...2100).contains(year) else { return nil }
        return CalendarDate(year: year, month: month, day: day)
    }
}
