import Foundation
import Samples
import Standards
import Testing

@testable import Ingest

@Suite struct ParsingTests {
    @Test(arguments: [
        (1.0, "1900-01-01"), (59.0, "1900-02-28"), (60.0, "1900-02-29"), (61.0, "1900-03-01"),
        (45000.0, "2023-03-15"), (45000.5, "2023-03-15 12:00:00"), (0.25, "06:00:00"), (2_958_465.0, "9999-12-31"),
    ])
    func excelSerials(serial: Double, expected: String) {
        #expect(ExcelDate.text(fromSerial: serial, uses1904Epoch: false) == expected)
    }

    @Test func dateFormatDetection() {
        #expect(ExcelDate.isDateFormat(id: 14, customFormats: [:]))
        #expect(ExcelDate.isDateFormat(id: 22, customFormats: [:]))
        #expect(!ExcelDate.isDateFormat(id: 2, customFormats: [:]))
        #expect(ExcelDate.isDateFormat(id: 176, customFormats: [176: "yyyy\"年\"m\"月\"d\"日\""]))
        #expect(ExcelDate.isDateFormat(id: 177, customFormats: [177: "[$-F800]dddd, mmmm dd, yyyy"]))
        #expect(!ExcelDate.isDateFormat(id: 178, customFormats: [178: "0.00_ "]))
        #expect(!ExcelDate.isDateFormat(id: 179, customFormats: [179: "[Red]0.0\"d\""]))
        #expect(!ExcelDate.isDateFormat(id: 180, customFormats: [180: "#,##0\"元\""]))
    }

    @Test(arguments: [
        ("1250", true), ("122.7", true), ("-3.5", true), ("0", true), ("0.5", true), ("8.50", false), ("8.", false),
        ("0123", false), ("-0", false), ("+3", false), (" 12", false), ("１２", false), ("1,250", false), ("", false),
        ("-", false),
        (".5", false), ("1.2.3", false), ("1234567890123456", false),
    ])
    func canonicalDecimals(text: String, canonical: Bool) {
        #expect(ValueParsing.isCanonicalDecimal(text) == canonical)
        // Canonical means: the number, printed back, is the text.
        if canonical, let number = Double(text) {
            #expect((number == number.rounded() ? String(Int(number)) : String(number)) == text)
        }
    }

    @Test func numbersAsPeopleTypeThem() {
        #expect(ValueParsing.number("１２３．５") == 123.5)
        #expect(ValueParsing.number(" 8.5 ") == 8.5)
        #expect(ValueParsing.number("　-3.2") == -3.2)
        #expect(ValueParsing.number("1,234") == 1234)
        #expect(ValueParsing.number("12a") == nil)
        #expect(ValueParsing.number("") == nil)
        #expect(ValueParsing.number("nan") == nil)
    }

    /// The byte-level reading of plain decimals gives the very Double that parsing the text gives
    /// (a score threshold such as 8.5 is compared exactly), and leaves every other text to the
    /// general parsers.
    @Test func plainDecimalsAreTheDoubleOfTheirText() {
        var random = SeededGenerator(seed: 7)
        for _ in 0..<20_000 {
            let whole = String((0..<Int.random(in: 1...9, using: &random)).map { _ in "0123456789".randomElement()! })
            let fraction = String(
                (0..<Int.random(in: 0...6, using: &random)).map { _ in "0123456789".randomElement()! })
            let text = fraction.isEmpty ? whole : "\(whole).\(fraction)"
            #expect(ValueParsing.plainDecimal(text) == Double(text), "\(text)")
            #expect(ValueParsing.plainDecimal(text)?.bitPattern == Double(text)?.bitPattern, "\(text)")
            // The form found in the same pass is `isCanonicalDecimal`'s answer (`007`, `8.50`, 16 bytes).
            let form = Array(text.utf8).withUnsafeBufferPointer(ValueParsing.plainDecimalForm)
            #expect(form?.canonical == ValueParsing.isCanonicalDecimal(text), "\(text)")
        }
        for text in ["0.1", "0.3", "8.5", "122.70", "0001250", "999999999999999", "1.00000000000001"] {
            #expect(ValueParsing.plainDecimal(text)?.bitPattern == Double(text)?.bitPattern, "\(text)")
        }
        for other in ["", ".5", "8.", "1.2.3", "-3.5", "+1", " 8.5", "1,234", "１２", "1e5", "9999999999999999", "8.5秒"] {
            #expect(ValueParsing.plainDecimal(other) == nil, "\(other)")
        }
    }

    /// `normalize` decides from bytes whether a text has anything to fold or trim, and folds its
    /// bytes: the same answers as asking and folding each scalar, over texts mixing every such
    /// scalar with their byte neighbours.
    /// A text of up to `length` scalars drawn from `alphabet`.
    private func randomText(_ alphabet: [Unicode.Scalar], upTo length: Int, using random: inout SeededGenerator)
        -> String
    {
        var scalars = String.UnicodeScalarView()
        for _ in 0..<Int.random(in: 0...length, using: &random) {
            scalars.append(alphabet.randomElement(using: &random)!)
        }
        return String(scalars)
    }

    /// A cell is blank when every character is whitespace; most are decided on their first byte.
    @Test func blankCellsAreFoundFromTheirFirstByte() {
        let whitespace = (0...0x3000).compactMap(Unicode.Scalar.init).filter { Character($0).isWhitespace }
        let others: [Unicode.Scalar] = [
            "a", "1", "\u{7F}", "\u{80}", "\u{C0}", "\u{FF}", "\u{200B}", "\u{FEFF}", "中", "王", "\u{FF11}", "\u{1F600}",
        ]
        let alphabet = whitespace + others
        var random = SeededGenerator(seed: 13)
        for _ in 0..<20_000 {
            let text = randomText(alphabet, upTo: 3, using: &random)
            #expect(
                RawRow(number: 1, cells: [text]).isBlank == text.allSatisfy(\.isWhitespace),
                "\(text.unicodeScalars.map(\.value))")
        }
    }

    @Test func foldableScalarsAreFoundFromBytes() {
        let values: [UInt32] =
            [0x09, 0x0A, 0x0D, 0x1F, 0x20, 0x21, 0x41, 0x7E, 0x84, 0x85, 0x86, 0xA0, 0xA1, 0x167F, 0x1680, 0x1681]
            + [0x1FFF, 0x2000, 0x200A, 0x200B, 0x2027, 0x2028, 0x2029, 0x202A, 0x202F, 0x205E, 0x205F, 0x2060]
            + [0x2FFF, 0x3000, 0x3001, 0x4E2D, 0xFF00, 0xFF01, 0xFF3F, 0xFF40, 0xFF5E, 0xFF5F, 0xFFE5, 0x1F600]
        let alphabet = values.compactMap(Unicode.Scalar.init)
        func expected(_ text: String) -> Bool {
            text.unicodeScalars.contains { $0.value == 0x3000 || (0xFF01...0xFF5E).contains($0.value) || $0.isSpace }
        }
        /// The folding `normalize` does, scalar by scalar.
        func folded(_ text: String) -> String {
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
        var random = SeededGenerator(seed: 11)
        for _ in 0..<20_000 {
            let text = randomText(alphabet, upTo: 4, using: &random)
            let codes = "\(text.unicodeScalars.map(\.value))"
            var contiguous = text
            #expect(contiguous.withUTF8(ValueParsing.hasFoldableScalar) == expected(text), "\(codes)")
            #expect(contiguous.withUTF8(ValueParsing.mayNeedNormalizing) == expected(text), "\(codes)")
            // A no-break space (U+00A0) or U+2000 alone, as text pasted from a web page brings, is trimmed too.
            #expect(ValueParsing.normalize(text) == (expected(text) ? folded(text) : text), "\(codes)")
        }
    }

    @Test(arguments: [
        "2015-03-04", "2015/3/4", "2015.3.4", "2015.03.04", "2015-3/4", "2015年3月4日", "20150304", "２０１５－０３－０４",
        "2015-03-04 00:00:00", "42067",
    ])
    func datesInEveryCommonForm(text: String) throws {
        let date = try #require(ValueParsing.date(text))
        #expect(date == "2015-03-04")
    }

    @Test(arguments: ["2015-02-30", "2015-13-01", "15-3-4", "三月四日", "", "2015/3", "20155-3-4", "2015-3-4-5", "2015--3"])
    func invalidDates(text: String) {
        #expect(ValueParsing.date(text) == nil)
    }

    @Test func leapDays() {
        #expect(ValueParsing.date("2016-02-29") != nil)
        #expect(ValueParsing.date("1900-02-29") == nil)
        #expect(ValueParsing.date("2000-02-29") != nil)
    }

    /// A column read through `RecentCells` gives what `value` gives, row after row: the same text
    /// while the cells repeat, the new one when a cell changes (also to one of the same length),
    /// each field its own, a class met again after more classes than the memory keeps, and a
    /// column whose cells seldom repeat.
    @Test func repeatedCellsReadAsTheirValues() throws {
        let header = try #require(
            HeaderMap.match(
                RawRow(number: 1, cells: ["学校名称", "班级名称", "学籍号", "性别", "年级编号"]), schema: FitnessSchema.schema))
        let school = try #require(FitnessSchema.schema.index(of: "school"))
        let className = try #require(FitnessSchema.schema.index(of: "className"))
        var cells = [
            ["示例县实验小学（2）", "一年级1班"], ["示例县实验小学（2）", "一年级1班"], ["示例县实验小学（3）", "一年级1班"],
            ["示例县实验小学（3）", "一年级2班"], ["", ""], ["", "一年级2班"], ["　东关学校 ", "１班"], ["东关学校", "1班"],
            ["示例县实验小学（2）", "一年级1班"],
        ]
        // Five classes interleaved: one more than the memory keeps.
        cells += (0..<15).map { ["示例县实验小学（2）", "一年级\($0 % 5 + 1)班"] }
        var memory = RecentCells<String>()
        for (index, pair) in cells.enumerated() {
            let row = RawRow(number: index + 2, cells: pair + ["G1", "1", "11"])
            for field in [school, className] {
                #expect(header.value(field, in: row, repeating: &memory) { $0 } == header.value(field, in: row))
            }
        }
        #expect(header.value(school, in: RawRow(number: 20, cells: ["甲（1）"]), repeating: &memory) { $0 } == "甲(1)")
        // A column of different cells (names), read right past the point where the memory gives up on it.
        for index in 0..<200 {
            let row = RawRow(number: index + 30, cells: ["学校（\(index % 150)）", "一年级1班", "G1", "1", "11"])
            #expect(header.value(school, in: row, repeating: &memory) { $0 } == "学校(\(index % 150))")
        }
    }

    @Test func headerNormalisation() {
        #expect(HeaderText.normalize("身高（cm）") == "身高(cm)")
        #expect(HeaderText.withoutBracket(HeaderText.normalize("身高（cm）")) == "身高")
        #expect(HeaderText.normalize(" ＊学 籍 号 ") == "学籍号")
        #expect(HeaderText.normalize("50米×8往返跑") == HeaderText.normalize("50米x8往返跑"))
        #expect(HeaderText.normalize("身高\r\n【CM】") == "身高(cm)")
        #expect(HeaderText.normalize("ＢＭＩ：Ä") == "bmiä")
    }
}

@Suite struct XMLAttributeTests {
    /// The attributes of a start tag (the bytes between `<` and `>`), as `XMLScanner` gives them.
    private func attributes(_ tag: String) -> [String: String] {
        var found: [String: String] = [:]
        Array(tag.utf8).withUnsafeBufferPointer { bytes in
            bytes.forEachAttribute { name, value in
                found[String(decoding: name, as: UTF8.self)] = String(decoding: value, as: UTF8.self)
            }
        }
        return found
    }

    @Test func attributesOfATag() {
        #expect(attributes(#"c r="B2" s="3" t="s""#) == ["r": "B2", "s": "3", "t": "s"])
        // A prefixed name is its own name; single quotes and spaces around = are XML too.
        #expect(attributes(#"row xr:uid="{A1}" r = 'A7'"#) == ["xr:uid": "{A1}", "r": "A7"])
        // A value that looks like an attribute is a value.
        #expect(attributes(#"c t="inlineStr" foo="x r=9""#) == ["t": "inlineStr", "foo": "x r=9"])
        #expect(attributes("v").isEmpty && attributes("c r=B2").isEmpty)
        #expect(attributes(#"c r="C3" broken s="1""#) == ["r": "C3"])
        // `attribute` finds one name whole: `r` is not `xr:uid`, and the first of two wins.
        Array(#"row xr:uid="u" r="5" r="6""#.utf8).withUnsafeBufferPointer { bytes in
            #expect(bytes.attribute("r").map { String(decoding: $0, as: UTF8.self) } == "5")
            #expect(bytes.attribute("uid") == nil)
        }
    }
}
