import Foundation
import Ingest
import Standards
import TestSupport
import Testing

@Suite struct RosterReaderTests {
    let term = Term("2025-2026-1")!

    func read(_ csv: String) throws -> (students: [StudentRecord], schools: [SchoolRecord], summary: ReadSummary) {
        let url = try temporaryFolder().appendingPathComponent("名册.csv")
        try Data(csv.utf8).write(to: url)
        var students: [StudentRecord] = []
        var schools: [SchoolRecord] = []
        let summary = try RosterReader(term: term).read(
            url, onSchool: { schools.append($0) }, onStudent: { students.append($0) })
        return (students, schools, summary)
    }

    /// A 学籍号 of ASCII letters and digits passes (full-width digits are folded to them first);
    /// a hyphen, an underscore or a Chinese character draws a warning (the student is still read).
    @Test func studentNumbersOfOtherCharactersAreNamed() throws {
        let (students, _, summary) = try read(
            """
            学籍号,姓名,性别,出生日期,年级编号,班级名称
            G20190304aZ9,王一,1,2019/3/4,11,1班
            G2019-0304,王二,1,2019/3/4,11,1班
            G２０19,王三,1,2019/3/4,11,1班
            G2019_01,王四,1,2019/3/4,11,1班
            G2019号,王五,1,2019/3/4,11,1班
            """)
        #expect(students.count == 5)
        let warned = summary.findings.filter { $0.message.contains("学籍号含有字母和数字以外的字符") }.compactMap(\.row)
        #expect(warned == [3, 5, 6])
    }

    @Test func titleRowsBlankLinesAndSynonyms() throws {
        let (students, _, summary) = try read(
            """
            示例县实验小学学生名册,,,,,,
            导出时间：2025-09-10,,,,,,
            ,,,,,,
            全国学籍号,学生姓名,性别,出生年月,民族代码,年级编号,班级名称
            G001,王堃,1,2019/3/4,1,11,1班

            G002,陈镕,女,2019年5月6日,回族,一年级,2班
            """)
        #expect(summary.findings.isEmpty)
        #expect(students.count == 2)
        #expect(
            students[0]
                == StudentRecord(
                    row: 5, studentNo: "G001", name: "王堃", sex: .male, birthDate: "2019-03-04", ethnicity: "汉族",
                    school: nil, grade: GradeCode(code: 11), className: "1班"))
        #expect(students[1].row == 7)
        #expect(students[1].grade == GradeCode(code: 11))
        #expect(students[1].ethnicity == "回族")
    }

    @Test func missingRequiredColumnIsOneFinding() throws {
        let (students, _, summary) = try read("学籍号,性别,出生日期,班级\nG1,男,2019-01-01,1班\nG2,女,2019-01-02,1班\n")
        #expect(students.isEmpty)
        let errors = summary.findings.filter { $0.severity == .error }
        #expect(errors.count == 1)
        #expect(errors.first?.message.contains("缺少必需的列：姓名") == true, "\(errors.map(\.description))")
    }

    /// Some platforms' roster templates have no 性别 (the results files carry it): one warning.
    @Test func aRosterWithoutSexIsReadWithOneWarning() throws {
        let (students, _, summary) = try read("学籍号,姓名,出生日期,班级\nG1,王五,2019-01-01,1班\nG2,赵六,2019-01-02,1班\n")
        #expect(students.map(\.studentNo) == ["G1", "G2"] && students.allSatisfy { $0.sex == nil })
        #expect(summary.findings.map(\.message) == ["文件没有性别列：学生的性别将取自体测、视力等成绩文件"])
    }

    @Test func duplicateHeaderKeepsFirstColumnWithWarning() throws {
        let (students, _, summary) = try read("学籍号,姓名,性别,出生日期,姓名\nG1,王五,男,2019-01-01,别名\n")
        #expect(students.first?.name == "王五")
        #expect(summary.findings.contains { $0.severity == .warning && $0.message.contains("重复") })
    }

    @Test func badRowsAreReportedAllAtOnceWithPlaces() throws {
        let (students, _, summary) = try read(
            """
            学籍号,姓名,性别,出生日期,年级
            G1,王五,男,2019-02-30,一年级
            G2,,女,2019-01-01,一年级
            G3,赵六,未知,2019-01-01,一年级
            G1,钱七,男,2019-01-01,一年级
            G5,孙八,男,2030-01-01,一年级
            G6,周九,男,2019-01-01,十三年级
            ,吴十,男,2019-01-01,一年级
            G8,郑一,女,2019-01-01,11
            """)
        #expect(summary.rowsRead == 8)
        #expect(summary.rowsRejected == 6)
        #expect(students.map(\.name) == ["吴十", "郑一"])
        let errors = summary.findings.filter { $0.severity == .error }
        #expect(errors.map(\.row) == [2, 3, 4, 5, 6, 7])
        #expect(errors[0].column == "出生日期" && errors[0].value == "2019-02-30")
        #expect(errors[3].message.contains("第 2 行重复"))
        #expect(errors.allSatisfy { $0.file == "名册.csv" })
        #expect(summary.findings.contains { $0.severity == .warning && $0.row == 8 && $0.message.contains("缺少学籍号") })
    }

    @Test func schoolListIsRecognisedByItsHeader() throws {
        let (students, schools, summary) = try read(
            """
            学校标识码,学校名称,学段,乡镇（街道）,城乡类型
            2137131001,示例县实验小学,小学,城关街道,城区
            2137131002,青山学校,九年制学校,青山乡,农村
            """)
        #expect(students.isEmpty)
        #expect(summary.findings.isEmpty)
        #expect(schools.map(\.name) == ["示例县实验小学", "青山学校"])
        #expect(schools[1].stage == .nineYear && schools[1].locality == .rural && schools[1].township == "青山乡")
    }

    @Test func fileWithNoRecognisableHeaderIsOneFinding() throws {
        let (_, _, summary) = try read("a,b,c\n1,2,3\n")
        #expect(summary.findings.count == 1)
        #expect(summary.findings[0].message.contains("表头"))
    }
}
