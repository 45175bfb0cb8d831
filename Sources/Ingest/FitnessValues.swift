import Standards

/// Parsers for fitness results as schools type them into the national template
/// (../shared/reference/fitness/upload_template.md §3).
public enum FitnessValues {
    public enum Parsed: Equatable, Sendable {
        case value(Double)
        case blank
        /// 免测/免体/免考 in a cell.
        case exempt
        case invalid(String)
    }

    /// Markers schools write for students exempt on medical grounds. `免体` is the T1 convention
    /// (upload_template.md: a row whose 身高 contains 免体 is skipped); the national marker is unknown.
    public static let exemptionMarkers = ["免测", "免体", "免考", "免试", "免予执行", "免"]

    public static func isExemptionMarker(_ text: String) -> Bool {
        // Every marker starts with 免 (E5 85 8D); numbers never do.
        guard text.containsUTF8Byte(where: { $0 == 0xE5 }) else { return false }
        let value = ValueParsing.normalize(text)
        return exemptionMarkers.contains(value) || value.hasPrefix("免测") || value.hasPrefix("免体")
    }

    /// Parses one item cell: a number, or a time in seconds for the m′ss″ items.
    public static func parse(_ text: String, item: FitnessItem) -> Parsed {
        // Most cells are plain decimals (身高 120.5, 肺活量 1250) or plain times (3′45″, 3.45, 225):
        // read without the checks below.
        var contiguous = text
        if let number = contiguous.withUTF8({ plainValue($0, item: item) }) { return .value(number) }
        let value = ValueParsing.normalize(text)
        if value.isEmpty || value == "-" || value == "--" || value == "/" { return .blank }
        if isExemptionMarker(value) { return .exempt }
        if item.isMinuteSecondTime { return minutesSeconds(value) }
        if item == .run50m, value.contains(where: { "′'’″\"”:：".contains($0) }) {
            return .invalid("50米跑以秒为单位，须使用小数点（如 8.5），不能写成分秒")
        }
        guard let number = ValueParsing.number(value) else { return .invalid(notANumber(item.label, unit: item.unit)) }
        return .value(number)
    }

    /// Why a measurement cell is refused when it is not a number (`33kg`), and what to type.
    static func notANumber(_ measure: String, unit: String, example: String? = nil) -> String {
        "不是数字；请只填写数字，不带单位（\(measure)以\(unit)计\(example.map { "，如 \($0)" } ?? "")）"
    }

    /// What separates minutes from seconds, and what may follow the seconds.
    private static let separators: Set<Character> = ["′", "'", "’", "‘", "`", "分", ":", "："]
    private static let secondMarks: Set<Character> = ["″", "\"", "”", "“", "秒"]

    /// Seconds from `3′45″`, `3'45"`, `3’45”`, `3′45`, `3:45`, `3.45` (minutes.seconds, as T1 reads a
    /// bare number), `225` (seconds), and Excel time cells (`00:03:45`, or `03:45:00` when 3:45 was
    /// typed and Excel took it as hours:minutes). `parse` reads the common forms from the bytes
    /// first (`plainMinutesSeconds`).
    private static func minutesSeconds(_ text: String) -> Parsed {
        let value = ValueParsing.normalize(text)
        var trimmed = value
        while let last = trimmed.last,
            secondMarks.contains(last) || last == "'" && trimmed.filter({ $0 == "'" }).count > 1
        { trimmed.removeLast() }
        let parts = trimmed.split(whereSeparator: { separators.contains($0) }).map(String.init)
        if parts.count >= 2 {
            let numbers = parts.map { Int($0) }
            guard numbers.allSatisfy({ $0 != nil }) else { return .invalid("无法识别的时间（应写作 3′45″）") }
            let n = numbers.map { $0! }
            var minutes: Int
            var seconds: Int
            if n.count == 3 {
                // Excel time: 00:03:45 is 3′45″; 03:45:00 is "3:45" typed and read as h:mm.
                if n[0] == 0 {
                    (minutes, seconds) = (n[1], n[2])
                } else if n[2] == 0 {
                    (minutes, seconds) = (n[0], n[1])
                } else {
                    return .invalid("无法识别的时间（应写作 3′45″）")
                }
            } else if n.count == 2 {
                (minutes, seconds) = (n[0], n[1])
                if parts[1].count != 2 { return .invalid("秒数须为两位（如 3′05″）") }
            } else {
                return .invalid("无法识别的时间（应写作 3′45″）")
            }
            guard seconds < 60 else { return .invalid("秒数不能大于 59") }
            return .value(Double(minutes * 60 + seconds))
        }
        guard let number = ValueParsing.number(trimmed) else { return .invalid("无法识别的时间（应写作 3′45″）") }
        if trimmed.contains(".") {
            // m.ss: 3.45 is 3′45″; a cell typed 3.50 is stored by Excel as 3.5 and means 3′50″.
            let minutes = Int(number.rounded(.down))
            let seconds = Int(((number - Double(minutes)) * 100).rounded())
            guard seconds < 60 else { return .invalid("按“分.秒”读取时秒数不能大于 59") }
            return .value(Double(minutes * 60 + seconds))
        }
        return .value(number)
    }

    /// `parse`'s fast path on a cell's UTF-8 bytes: the plain number or time most cells hold, nil
    /// for anything the general path reads.
    public static func plainValue(_ bytes: UnsafeBufferPointer<UInt8>, item: FitnessItem) -> Double? {
        plainValueForm(bytes, item: item)?.value
    }

    /// `plainValue`, and whether the bytes are `ValueParsing.isCanonicalDecimal`.
    public static func plainValueForm(_ bytes: UnsafeBufferPointer<UInt8>, item: FitnessItem) -> (
        value: Double, canonical: Bool
    )? {
        guard item.isMinuteSecondTime else { return ValueParsing.plainDecimalForm(bytes) }
        return plainMinutesSeconds(bytes).map { (Double($0), ValueParsing.isCanonicalDecimal(bytes)) }
    }

    /// The forms most cells are written in, read straight from the bytes: the template's own
    /// `3′45″` (or `3'45"`, `3:45`), minutes.seconds `3.45` or `3.5` (3′50″, as Excel keeps 3.50)
    /// and seconds `225`. nil sends the text down the general path, which reads the rest and
    /// explains errors; each form here gives what that path gives.
    private static func plainMinutesSeconds(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var iterator = bytes.makeIterator()
        func digit(_ byte: UInt8?) -> Int? { byte.flatMap { (0x30...0x39).contains($0) ? Int($0 - 0x30) : nil } }
        var next = iterator.next()
        guard var minutes = digit(next) else { return nil }
        next = iterator.next()
        if let more = digit(next) {
            minutes = minutes * 10 + more
            next = iterator.next()
        }
        // The separator: ′ (E2 80 B2), ’ (E2 80 99), ' or :; or the point of m.ss; or more digits
        // of a time in seconds.
        switch next {
        case nil: return minutes
        case (0x30...0x39)?:
            var seconds = minutes
            while let byte = next {
                guard let value = digit(byte), seconds < 100_000 else { return nil }
                seconds = seconds * 10 + value
                next = iterator.next()
            }
            return seconds
        case 0x2E:
            guard let tens = digit(iterator.next()) else { return nil }
            let units = iterator.next()
            guard units == nil || (digit(units) != nil && iterator.next() == nil), tens < 6 else { return nil }
            return minutes * 60 + tens * 10 + (digit(units) ?? 0)
        case 0x27, 0x3A: break
        case 0xE2:
            guard iterator.next() == 0x80, let last = iterator.next(), last == 0xB2 || last == 0x99 else { return nil }
        default: return nil
        }
        guard let tens = digit(iterator.next()), let units = digit(iterator.next()), tens < 6 else { return nil }
        // Nothing more, or the seconds mark: ″ (E2 80 B3), ” (E2 80 9D) or ".
        switch iterator.next() {
        case nil: break
        case 0x22: guard iterator.next() == nil else { return nil }
        case 0xE2:
            guard iterator.next() == 0x80, let last = iterator.next(), last == 0xB3 || last == 0x9D,
                iterator.next() == nil
            else { return nil }
        default: return nil
        }
        return minutes * 60 + tens * 10 + units
    }

    /// `225` → `3′45″`, as the national template writes times.
    public static func minutesSecondsText(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        let s = total % 60
        return "\(total / 60)′\(s < 10 ? "0" : "")\(s)″"
    }

    /// A measured result as people write it: 分′秒″ for the long runs, a plain number otherwise
    /// (`12` not `12.0`), with the item's unit when `unit` is asked for.
    public static func resultText(_ value: Double, item: FitnessItem, unit: Bool = false) -> String {
        if item.isMinuteSecondTime { return minutesSecondsText(value) }
        return (value == value.rounded() ? String(Int(value)) : String(value)) + (unit ? " \(item.unit)" : "")
    }
}
