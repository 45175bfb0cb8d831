/// One CSV line written field by field straight into a byte buffer, as Excel and this package's
/// reader read it: fields separated by commas, quoted when they hold a comma, quote or line
/// break, with their quotes doubled (RFC 4180 §2.6–2.7).
///
/// Numbers are written from their digits: `jiance score --format csv` prints 30 fields a student,
/// and building a `String` for each cost more than reading and scoring the student.
public struct CSVLine: ~Copyable {
    public private(set) var bytes: ByteBuffer
    private var fields = 0

    /// A line appended to `bytes` (which keeps what it holds).
    public init(appendingTo bytes: consuming ByteBuffer = ByteBuffer()) { self.bytes = bytes }

    /// Ends the line with LF and gives the bytes back.
    public consuming func finished() -> ByteBuffer {
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
        if abs(value) < 1e13 {
            // The nearest whole number of hundredths, rounded half away from zero by hand
            // (`rounded()` is a call into libm). `Double(n) / 100` is the double nearest to n/100,
            // so when it is the value, n/100 without trailing zeros is the shortest text that
            // reads back as the value: the digits of tenths and whole numbers are the same.
            let scaled = value * 100
            let hundredths = Int(scaled < 0 ? scaled - 0.5 : scaled + 0.5)
            if Double(hundredths) / 100 == value {
                appendHundredths(hundredths)
                return
            }
        } else if value == value.rounded(), abs(value) < 1e15 {
            appendDigits(Int(value))
            return
        }
        bytes.appendUTF8(String(value))
    }

    private mutating func appendDigits(_ value: Int) {
        if value < 0 { bytes.append(0x2D) }
        appendMagnitude(value.magnitude)
    }

    /// `units` hundredths without trailing zeros: `-1.05`, `0.5`, `12`.
    private mutating func appendHundredths(_ units: Int) {
        if units < 0 { bytes.append(0x2D) }
        let (whole, fraction) = units.magnitude.quotientAndRemainder(dividingBy: 100)
        appendMagnitude(whole)
        guard fraction > 0 else { return }
        bytes.append(0x2E)
        let (tenths, hundredths) = fraction.quotientAndRemainder(dividingBy: 10)
        bytes.append(0x30 + UInt8(tenths))
        if hundredths > 0 { bytes.append(0x30 + UInt8(hundredths)) }
    }

    /// The decimal digits of `value`, most significant first: one or two digits (most values)
    /// directly, longer ones least significant first into their place at the end of the line.
    private mutating func appendMagnitude(_ value: UInt) {
        if value < 10 {
            bytes.append(0x30 + UInt8(value))
            return
        }
        if value < 100 {
            let (tens, units) = value.quotientAndRemainder(dividingBy: 10)
            bytes.append(0x30 + UInt8(tens))
            bytes.append(0x30 + UInt8(units))
            return
        }
        var length = 3
        var power: UInt = 1000
        while length < 20, value >= power {
            length += 1
            power &*= 10
        }
        bytes.append(length: length) { digits in
            var rest = value
            for index in digits.indices.reversed() {
                digits[index] = 0x30 + UInt8(rest % 10)
                rest /= 10
            }
        }
    }
}

/// A CSV field as written for Excel and this reader (see `CSVLine.text`).
public func csvField(_ text: String) -> String {
    var line = CSVLine()
    line.text(text)
    return line.bytes.withBytes { String(decoding: $0, as: UTF8.self) }
}
