import Ingest
import Samples
import Standards
import TestSupport
import Testing

@Suite struct CSVLineTests {
    /// How `jiance score` printed a number before it was written from its digits: a whole number
    /// as an integer, anything else as Swift's shortest text.
    private func printed(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    private func written(_ value: Double?) -> String {
        var line = CSVLine()
        line.number(value)
        return String(decoding: line.bytes.array, as: UTF8.self)
    }

    @Test func numbersAreWrittenAsSwiftPrintsThem() {
        let edges: [Double] = [
            0, -0.0, 0.5, -0.5, 0.05, -0.05, 0.01, 0.1, 0.99, 1.05, 87.4, 8.5, 10.9, 12.25, -3.5, 1250, 238,
            99.99, 100.01, 1e14 + 0.5, 999_999_999_999_999, 1e15, 1e15 + 0.25, 1e16, 0.001, 0.125, 1.0 / 3,
            123_456.78, .leastNonzeroMagnitude, .greatestFiniteMagnitude, .infinity, -.infinity,
        ]
        for value in edges { #expect(written(value) == printed(value), "\(value)") }
        var random = SeededGenerator(seed: 23)
        for _ in 0..<50_000 {
            let units = Int.random(in: -2_000_000...2_000_000, using: &random)
            let scale = [1.0, 10, 100, 1000, 7][Int.random(in: 0..<5, using: &random)]
            let value = Double(units) / scale
            #expect(written(value) == printed(value), "\(value)")
            let any = Double.random(in: -1e6...1e6, using: &random)
            #expect(written(any) == printed(any), "\(any)")
        }
        #expect(written(nil) == "")
    }

    @Test func fieldsAreSeparatedQuotedAndEnded() {
        var line = CSVLine(appendingTo: ByteBuffer(Array("x\n".utf8)))
        line.text("G001")
        line.integer(-42)
        line.integer(nil)
        line.number(nil)
        line.text("1,5")
        line.text("say \"hi\"")
        line.text("line1\r\nline2")
        line.number(87.4)
        line.text("王堃")
        #expect(
            String(decoding: line.finished().array, as: UTF8.self)
                == "x\nG001,-42,,,\"1,5\",\"say \"\"hi\"\"\",\"line1\r\nline2\",87.4,王堃\n")
        #expect(csvField("a\"b") == "\"a\"\"b\"" && csvField("ab") == "ab" && csvField("") == "")
        for value in [
            0, 7, 10, 99, 100, 1250, -1, -10, 99_999_999, 100_000_000, 100_000_001, -12_345_678_901, 1_000_000_007,
            Int.max, Int.min, Int.max / 10, 1_000_000_000_000_000_000,
        ] {
            var integers = CSVLine()
            integers.integer(value)
            #expect(String(decoding: integers.bytes.array, as: UTF8.self) == String(value))
        }
    }

    /// A line far longer than the buffer's first memory: the bytes are kept as it grows, whether
    /// it grows by one byte, by a field's digits or by a long text.
    @Test func aLineGrowsItsBufferWithoutLosingBytes() {
        var line = CSVLine(appendingTo: ByteBuffer(capacity: 1))
        var expected: [String] = []
        var random = SeededGenerator(seed: 7)
        for index in 0..<3_000 {
            switch index % 3 {
            case 0:
                let value = Int.random(in: -1_000_000...1_000_000, using: &random)
                line.integer(value)
                expected.append(String(value))
            case 1:
                let value = Double(Int.random(in: -100_000...100_000, using: &random)) / 100
                line.number(value)
                expected.append(value == value.rounded() ? String(Int(value)) : String(value))
            default:
                let text = String(repeating: "学", count: index % 700)
                line.text(text)
                expected.append(text)
            }
        }
        let written = line.finished()
        #expect(String(decoding: written.array, as: UTF8.self) == expected.joined(separator: ",") + "\n")
        var buffer = ByteBuffer(capacity: 4)
        buffer.append(Array(repeating: 0x41, count: 100))
        buffer.removeAll()
        buffer.append(0x42)
        #expect(buffer.array == [0x42] && buffer.count == 1 && !buffer.isEmpty)
    }
}
