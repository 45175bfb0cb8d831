/// One CSV line written field by field straight into a byte buffer, as Excel and this package's
/// reader read it: fields separated by commas, quoted when they hold a comma, quote or line
/// break, with their quotes doubled (RFC 4180 §2.6–2.7).
///
/// Numbers are written from their digits: `jiance score --format csv` prints 30 fields a student,
/// and building a `String` for each cost more than reading and scoring the student.
public struct CSVLine {
    public private(set) var bytes: [UInt8]
    private var fields = 0

    /// A line appended to `bytes` (which keeps what it holds).
    public init(appendingTo bytes: [UInt8] = []) { self.bytes = bytes }

    /// Ends the line with LF and gives the bytes back.
    public consuming func finished() -> [UInt8] {
        bytes.append(0x0A)
        return bytes
    }

    private mutating func startField() {
        if fields > 0 { bytes.append(0x2C) }
        fields += 1
    }

    /// A text field, quoted when it needs to be; checked on bytes, as the four are ASCII.
    public mutating func text(_ text: String) {
        startField()
        guard text.containsUTF8Byte(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else {
            bytes.appendUTF8(text)
            return
        }
        bytes.append(0x22)
        for byte in text.utf8 {
            if byte == 0x22 { bytes.append(0x22) }
            bytes.append(byte)
        }
        bytes.append(0x22)
    }

    /// An integer in decimal, or an empty field.
    public mutating func integer(_ value: Int?) {
        startField()
        if let value { appendDigits(value) }
    }

    /// The shortest decimal text of a number, as Swift prints it (`87.4`, `-0.5`), with a whole
    /// number written without its `.0` (`1250`); or an empty field. Values with up to two decimals
    /// (every result and score of the standard) are written from their digits, others by Swift.
    public mutating func number(_ value: Double?) {
        startField()
        guard let value else { return }
        if value == value.rounded(), abs(value) < 1e15 {
            appendDigits(Int(value))
            return
        }
        // Double(n) / 10 is the double nearest to n/10, so when it is the value, n/10 with one
        // decimal is the shortest text that reads back as the value; likewise for hundredths.
        for (scale, decimals) in [(10.0, 1), (100.0, 2)] {
            let scaled = (value * scale).rounded()
            guard abs(scaled) < 1e15, scaled / scale == value else { continue }
            appendFixed(Int(scaled), decimals: decimals)
            return
        }
        bytes.appendUTF8(String(value))
    }

    private mutating func appendDigits(_ value: Int) {
        if value < 0 { bytes.append(0x2D) }
        appendMagnitude(value.magnitude, minimumDigits: 1)
    }

    /// `units` hundredths (decimals 2) or tenths (1) as `-1.05`, `0.5`.
    private mutating func appendFixed(_ units: Int, decimals: Int) {
        if units < 0 { bytes.append(0x2D) }
        let magnitude = units.magnitude
        let divisor: UInt = decimals == 1 ? 10 : 100
        appendMagnitude(magnitude / divisor, minimumDigits: 1)
        bytes.append(0x2E)
        appendMagnitude(magnitude % divisor, minimumDigits: decimals)
    }

    /// The decimal digits of `value`, at least `minimumDigits` of them (leading zeros), most
    /// significant first: found least significant first into an inline buffer, one division
    /// each, then appended.
    private mutating func appendMagnitude(_ value: UInt, minimumDigits: Int) {
        var digits = InlineArray<20, UInt8>(repeating: 0x30)
        var start = digits.count
        var rest = value
        repeat {
            start -= 1
            digits[start] = 0x30 + UInt8(rest % 10)
            rest /= 10
        } while rest > 0
        for index in min(start, digits.count - minimumDigits)..<digits.count { bytes.append(digits[index]) }
    }
}

/// A CSV field as written for Excel and this reader (see `CSVLine.text`).
public func csvField(_ text: String) -> String {
    var line = CSVLine()
    line.text(text)
    return String(decoding: line.bytes, as: UTF8.self)
}
