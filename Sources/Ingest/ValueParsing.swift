import Standards

/// Parsers for the values people type into Excel: full-width digits and punctuation, stray
/// spaces, numbers stored as text, and dates in the forms Chinese offices use.
public enum ValueParsing {
    /// Full-width ASCII (U+FF01…U+FF5E) to half-width, the ideographic space to a space, and
    /// trimmed: `　１２３．５ ` → `123.5`.
    public static func normalize(_ text: String) -> String {
        var text = text
        // Fast path: nothing to fold or trim (most cells of a results file).
        guard text.withUTF8(mayNeedNormalizing) else { return text }
        return text.withUTF8(folded)
    }

    /// `normalize` of a cell's UTF-8 bytes, as a String.
    public static func normalized(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        mayNeedNormalizing(bytes) ? folded(bytes) : String(decoding: bytes, as: UTF8.self)
    }

    /// `normalize` of UTF-8 bytes that `mayNeedNormalizing` picked out, folded on the bytes:
    /// U+3000 is E3 80 80; U+FF01…U+FF3F are EF BC 81…BF and U+FF40…U+FF5E are EF BD 80…9E,
    /// each the ASCII byte 0xFEE0 below its scalar.
    static func folded(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        var folded: [UInt8] = []
        folded.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let lead = bytes[index]
            if lead == 0xE3 || lead == 0xEF, index + 2 < bytes.count {
                let (second, third) = (bytes[index + 1], bytes[index + 2])
                var ascii: UInt8?
                if lead == 0xE3, second == 0x80, third == 0x80 { ascii = 0x20 }
                if lead == 0xEF, second == 0xBC, third >= 0x81 { ascii = third - 0x60 }
                if lead == 0xEF, second == 0xBD, third <= 0x9E { ascii = third - 0x20 }
                if let ascii {
                    folded.append(ascii)
                    index += 3
                    continue
                }
            }
            folded.append(lead)
            index += 1
        }
        return String(decoding: folded, as: UTF8.self).trimmingSpaces
    }

    /// Whether `normalize` may change the text with these UTF-8 bytes: false for most cells, on a
    /// scan for the lead bytes of spaces and full-width forms (a space or control character,
    /// C2, E1, E2, E3 or EF; a Chinese character's E4–E9 leads to the closer look).
    public static func mayNeedNormalizing(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.contains(where: { $0 <= 0x20 || $0 >= 0xE1 || $0 == 0xC2 }) && hasFoldableScalar(bytes)
    }

    /// Whether the text holds a scalar that `normalize` folds or trims: U+3000, full-width ASCII
    /// (U+FF01…U+FF5E) or a space (`Unicode.Scalar.isSpace`). Found from the UTF-8 bytes of each
    /// (in valid UTF-8 a lead byte never occurs inside another character): a Chinese name or
    /// school is in most rows, and walking its scalars cost a thousand instructions a cell.
    static func hasFoldableScalar(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = bytes.count
        var index = 0
        while index < count {
            let lead = bytes[index]
            // A Chinese character (lead E4–E9) and its neighbours up to U+EFFF are never
            // foldable: stepped over whole.
            if lead >= 0xE4 && lead <= 0xEE {
                index += 3
                continue
            }
            let second = index + 1 < count ? bytes[index + 1] : 0
            let third = index + 2 < count ? bytes[index + 2] : 0
            index += 1
            switch lead {
            case 0x09...0x0D, 0x20: return true
            // U+0085, U+00A0
            case 0xC2 where second == 0x85 || second == 0xA0: return true
            // U+1680
            case 0xE1 where second == 0x9A && third == 0x80: return true
            // U+2000…U+200A, U+2028, U+2029, U+202F; U+205F
            case 0xE2 where second == 0x80 && (third <= 0x8A || third == 0xA8 || third == 0xA9 || third == 0xAF):
                return true
            case 0xE2 where second == 0x81 && third == 0x9F: return true
            // U+3000
            case 0xE3 where second == 0x80 && third == 0x80: return true
            // U+FF01…U+FF3F; U+FF40…U+FF5E
            case 0xEF where (second == 0xBC && third >= 0x81) || (second == 0xBD && third <= 0x9E): return true
            default: continue
            }
        }
        return false
    }

    /// The number of a cell that is plain ASCII `digits` or `digits.digits` with at most 15
    /// digits (`1250`, `8.5`, `122.70`), read straight from its bytes; nil for anything else,
    /// which the general parsers read. Most cells of a results file are such numbers, and
    /// `Double(String)` cost a thousand instructions each. The value is the integer of the digits
    /// divided by a power of ten, both exact in a Double, so the one rounding of the division
    /// gives the same Double as parsing the text.
    public static func plainDecimal(_ text: String) -> Double? {
        var contiguous = text
        return contiguous.withUTF8(plainDecimal)
    }

    /// `plainDecimal` of a cell's UTF-8 bytes.
    public static func plainDecimal(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? { plainDecimalForm(bytes)?.value }

    /// `plainDecimal` of a cell's UTF-8 bytes, and whether they are `isCanonicalDecimal` (how the
    /// number prints back), found in the same pass: a reader keeps the typed text when it is not.
    public static func plainDecimalForm(_ bytes: UnsafeBufferPointer<UInt8>) -> (value: Double, canonical: Bool)? {
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
        let value = fractionDigits == 0 ? Double(mantissa) : Double(mantissa) / powersOfTen[fractionDigits]
        // Not canonical: a leading zero before another whole digit (`0123`), a trailing zero after
        // the point (`8.50`), or more bytes than `isCanonicalDecimal` takes.
        let leadingZero = bytes[0] == 0x30 && digits - fractionDigits > 1
        let trailingZero = point && bytes[bytes.count - 1] == 0x30
        return (value, bytes.count <= 15 && !leadingZero && !trailingZero)
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
        return contiguous.withUTF8(isCanonicalDecimal)
    }

    /// `isCanonicalDecimal` of a cell's UTF-8 bytes.
    public static func isCanonicalDecimal(_ all: UnsafeBufferPointer<UInt8>) -> Bool {
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

    /// A calendar date as (year, month, day) from `2015-03-04`, `2015/3/4`, `2015.3.4`,
    /// `2015年3月4日`, `20150304`, an Excel date cell (already `2015-03-04` from the reader), or
    /// an Excel serial number stored as text; nil when not a real date.
    public static func date(_ text: String) -> CalendarDate? {
        if let quick = text.utf8.withContiguousStorageIfAvailable(asciiDate) ?? nil { return quick }
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
    static func asciiDate(_ bytes: UnsafeBufferPointer<UInt8>) -> CalendarDate? {
        // Inline, not arrays: two allocations were most of the cost of a date.
        var fields: InlineArray<3, Int> = [0, 0, 0]
        var digits: InlineArray<3, Int> = [0, 0, 0]
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
