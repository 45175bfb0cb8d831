import Foundation
import Standards
import Testing

@Suite struct DomainTests {
    @Test func termForms() throws {
        let term = try #require(Term("2025-2026-1"))
        #expect(term.description == "2025-2026-1")
        #expect(term.label == "2025-2026学年第一学期")
        #expect(Term("2025-2026学年第一学期") == term)
        #expect(Term("2025—2026学年 第二学期") == Term(startYear: 2025, semester: 2))
        #expect(Term("2025-2026-3") == nil)
        #expect(Term("2025-2027-1") == nil)
        #expect(Term("下学期") == nil)
        #expect(term.sameSeasonLastYear.description == "2024-2025-1")
        #expect(Term("2024-2025-2")! < term)
    }

    @Test(arguments: [
        ("11", 11), ("16", 16), ("21", 21), ("24", 24), ("31", 31), ("44", 44), ("11.0", 11),
        ("一年级", 11), ("六年级", 16), ("七年级", 21), ("九年级", 23), ("初一", 21), ("初四", 24), ("高三", 33), ("大二", 42),
        ("十年级", 31), ("十二年级", 33), ("3年级", 13), ("1", 11), ("9", 23),
    ])
    func gradeCodes(text: String, code: Int) {
        #expect(GradeCode(text: text)?.code == code)
    }

    @Test(arguments: ["17", "20", "25", "34", "45", "十三年级", "零年级", "", "初五", "13.5"])
    func invalidGradeCodes(text: String) {
        #expect(GradeCode(text: text) == nil)
    }

    @Test func gradeLabelsAndYears() {
        // upload_template.md §2: 11–16, 21–24, 31–33, 41–44.
        #expect(GradeCode.valid == Set(11...16).union(21...24).union(31...33).union(41...44))
        #expect(GradeCode(code: 11)?.label == "一年级")
        #expect(GradeCode(code: 23)?.label == "初三")
        #expect(GradeCode(code: 23)?.year == 9)
        #expect(GradeCode(code: 41)?.year == nil)
        #expect(GradeCode(year: 7)?.code == 21)
    }

    @Test func sexCodes() {
        #expect(Sex(text: "1") == .male)
        #expect(Sex(text: " 女 ") == .female)
        #expect(Sex(text: "F") == .female)
        #expect(Sex(text: "3") == nil)
        #expect(Sex.female.code == 2)
    }

    /// The byte forms read what the text forms read, for every one- and two-byte cell, and
    /// nothing more.
    @Test func codesReadFromBytesAgreeWithTheirTexts() {
        var twoDigitGrades = 0
        for first in UInt8(0)...UInt8(127) {
            let one = String(decoding: [first], as: UTF8.self)
            #expect(Sex(code: [first]) == nil || Sex(code: [first]) == Sex(text: one), "\(first)")
            #expect(GradeCode(code: [first]) == nil)
            for second in UInt8(0)...UInt8(127) {
                let bytes = [first, second]
                guard let grade = GradeCode(code: bytes) else { continue }
                #expect(grade == GradeCode(text: String(decoding: bytes, as: UTF8.self)))
                twoDigitGrades += 1
            }
        }
        #expect(twoDigitGrades == GradeCode.valid.count)
        #expect(Sex(code: Array("1".utf8)) == .male && Sex(code: Array("2".utf8)) == .female)
        #expect(Sex(code: Array("男".utf8)) == nil && Sex(code: Array("12".utf8)) == nil)
    }

    @Test func stagesAndLocalities() {
        #expect(SchoolStage(text: "九年制学校") == .nineYear)
        #expect(SchoolStage(text: "独立初中") == .junior)
        #expect(SchoolStage(text: "幼儿园") == nil)
        #expect(Locality(text: "农村") == .rural)
        #expect(Locality(text: "镇区") == .town)
        #expect(Locality(text: "城区") == .urban)
    }

    @Test func ethnicityCodesFollowGBT3304() {
        #expect(Ethnicity.name(for: "1") == "汉族")
        #expect(Ethnicity.name(for: "03") == "回族")
        #expect(Ethnicity.name(for: "56") == "基诺族")
        #expect(Ethnicity.name(for: "57") == nil)
        #expect(Ethnicity.name(for: "满") == "满族")
        #expect(Ethnicity.code(for: "壮族") == 8)
        #expect(Ethnicity.names.count == 56)
    }

    @Test func masking() {
        #expect(Masking.name("王小明") == "王*明")
        #expect(Masking.name("李四") == "李*")
        #expect(Masking.name("欧阳娜娜") == "欧**娜")
        #expect(Masking.identifier("G370102201503040012") == "G3701**********0012")
        #expect(Masking.identifier("1234") == "**34")
        #expect(Masking.birthDate("2015-03-04") == "2015-03")
    }

    @Test func findingDescriptionNamesThePlace() {
        let finding = Finding(
            .error, "日期无效", file: "名册.xlsx", sheet: "学生", row: 12, column: "出生日期", value: "2019-13-01")
        #expect(finding.description == "[错误] 名册.xlsx [学生] 第12行 列“出生日期” 值“2019-13-01”：日期无效")
    }
}

@Suite struct WhitespaceTests {
    /// The written-out White_Space list agrees with the standard library on every scalar of the
    /// planes people type in.
    @Test func isSpaceMatchesTheStandardLibrary() {
        for value in UInt32(0)...0xFFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            #expect(scalar.isSpace == Character(scalar).isWhitespace, "U+\(String(value, radix: 16))")
        }
    }

    @Test func trimming() {
        #expect(" \t王 芳\u{3000}\r\n".trimmingSpaces == "王 芳")
        #expect("\u{A0}\u{2003}".trimmingSpaces == "")
        #expect("王芳".trimmingSpaces == "王芳")
        #expect("".trimmingSpaces == "")
    }

    /// Every scalar of the planes people type in, alone, before and after a text: trimmed exactly
    /// when it is a space, whatever the lead-byte shortcut decides.
    @Test func trimmingEveryScalarAtEitherEdge() {
        for value in UInt32(0)...0xFFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let edge = String(scalar)
            let code = "U+\(String(value, radix: 16))"
            #expect(edge.trimmingSpaces == (scalar.isSpace ? "" : edge), "\(code)")
            #expect((edge + "王芳").trimmingSpaces == (scalar.isSpace ? "王芳" : edge + "王芳"), "\(code)")
            #expect(("是" + edge).trimmingSpaces == (scalar.isSpace ? "是" : "是" + edge), "\(code)")
        }
    }

    /// Same bytes, not canonical equivalence: é typed composed and decomposed are `==` but differ.
    @Test func sameUTF8() {
        let typed = "一年级1班"
        #expect(typed.hasSameUTF8(as: String(decoding: Array(typed.utf8), as: UTF8.self)))
        #expect(!"一年级1班".hasSameUTF8(as: "一年级2班") && !"1班".hasSameUTF8(as: "11班"))
        #expect("\u{E9}" == "e\u{301}" && !"\u{E9}".hasSameUTF8(as: "e\u{301}"))
        #expect("".hasSameUTF8(as: "") && !"".hasSameUTF8(as: " "))
    }

    @Test func gradeCodes() {
        #expect(GradeCode(text: "11")?.code == 11)
        #expect(GradeCode(text: "10")?.code == 31)  // the tenth year of schooling, 高一
        #expect(GradeCode(text: "09")?.code == 23)
        #expect(GradeCode(text: " 21 ")?.code == 21)
        #expect(GradeCode(text: "19") == nil)
        #expect(
            [11, 15, 16, 21, 22, 23, 24, 33].compactMap(GradeCode.init(code:)).filter(\.isGraduating).map(\.code) == [
                16, 23, 24,
            ])
    }
}

@Suite struct ClassNameTests {
    @Test(arguments: [
        ("1班", 11, "1班"), ("一年级1班", 11, "1班"), ("初一2班", 21, "2班"), ("七年级3班", 21, "3班"), ("1101", 11, "1班"),
        ("1112", 11, "12班"), ("2103", 21, "3班"), ("01", 11, "1班"), ("(1)班", 13, "1班"), ("（2）班", 13, "2班"),
        ("实验班", 13, "实验班"), ("", 11, ""),
        (" 一年级 1 班 ", 11, "1班"), ("初一(3)班", 21, "3班"), ("\u{3000}2班", 12, "2班"),
    ])
    func spellings(text: String, grade: Int, expected: String) {
        #expect(ClassName.normalize(text, grade: GradeCode(code: grade)) == expected)
    }
}

/// Dates are the county's (Asia/Shanghai unless $JIANCE_TIME_ZONE says otherwise), whatever the
/// machine's clock zone: a UTC server at 23:30 is already tomorrow in China.
@Suite struct TodayTests {
    @Test func todayIsTheCountysDate() {
        let zone = ProcessInfo.processInfo.environment["JIANCE_TIME_ZONE"] ?? "Asia/Shanghai"
        #expect(Today.timeZone.identifier == zone)
        let formatter = DateFormatter()
        formatter.timeZone = TimeZone(identifier: zone)
        formatter.dateFormat = "yyyy-MM-dd"
        formatter.locale = Locale(identifier: "en_US_POSIX")
        #expect(Today.iso == formatter.string(from: Date()))
    }
}
