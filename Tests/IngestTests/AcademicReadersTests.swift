import Foundation
import Ingest
import Standards
import TestSupport
import Testing

@Suite struct AcademicReaderTests {
    let reader = AcademicReader(term: Term("2025-2026-1")!) { subject, grade in
        subject == "语文" && (grade?.year ?? 0) >= 7 ? 120 : 100
    }

    func read(_ text: String, encoding: String.Encoding = .utf8) throws -> ([AcademicRecord], ReadSummary) {
        let url = try temporaryFolder().appendingPathComponent("成绩.csv")
        try text.data(using: encoding)!.write(to: url)
        var records: [AcademicRecord] = []
        let summary = try reader.read(url) { records.append($0) }
        return (records, summary)
    }

    @Test func wideLayoutWithFullMarksAbsenceAndExemption() throws {
        let (records, summary) = try read(
            """
            某校期中考试成绩
            学籍号,姓名,学校名称,年级,班级,语文,数学（满分120）,英语成绩,总分,班级排名
            G1,甲,实验中学,初一,1班,118,120,缺考,238,1
            G2,乙,实验中学,初一,2班,60.5,免考,,60.5,2
            G3,丙,实验中学,初一,2班,0,0,0,0,3

            """, encoding: gb18030)
        #expect(summary.rowsRead == 3 && summary.rowsRejected == 0)
        #expect(summary.findings.isEmpty, "\(summary.findings)")
        #expect(records.count == 3)
        let first = records[0].entries
        #expect(first.map(\.subject) == ["语文", "数学", "英语"])
        #expect(first[0].mark == .score(tenths: 1180) && first[0].fullTenths == 1200)  // settings: junior 语文 120
        #expect(first[1].fullTenths == 1200)  // header: 满分120
        #expect(first[2].mark == .absent)
        #expect(records[1].entries.map(\.mark) == [.score(tenths: 605), .exempt])  // blank 英语: not examined
        #expect(records[2].entries.allSatisfy { $0.mark == .score(tenths: 0) })  // zero is a score, not absence
    }

    @Test func badScoresAreReportedTogetherWithTheirCells() throws {
        let (records, summary) = try read(
            """
            学籍号,姓名,年级,语文,数学
            G1,甲,四年级,101,-1
            G2,乙,四年级,优,88
            G3,丙,四年级,88,77
            G3,丙,四年级,90,70
            ,,四年级,50,50

            """)
        #expect(records.count == 1)
        #expect(summary.rowsRejected == 4)
        let errors = summary.findings.filter { $0.severity == .error }
        #expect(errors.contains { $0.row == 2 && $0.column == "语文" && $0.message.contains("超过满分") })
        #expect(errors.contains { $0.row == 2 && $0.column == "数学" && $0.message.contains("负数") })
        #expect(errors.contains { $0.row == 3 && $0.value == "优" })
        #expect(errors.contains { $0.row == 5 && $0.message.contains("第 4 行重复") })
        #expect(errors.contains { $0.row == 6 && $0.message.contains("无法识别学生") })
    }

    @Test func longLayoutWithAFullMarkColumn() throws {
        let (records, summary) = try read(
            """
            学籍号,姓名,学校,年级,科目,分数,满分
            G1,甲,实验小学,五年级,数学,88.5,100
            G1,甲,实验小学,五年级,语文,缺考,100
            G2,乙,实验小学,五年级,英语,140,150
            G2,乙,实验小学,五年级,美术作品,90,100
            G2,乙,实验小学,五年级,数学,,100

            """)
        #expect(records.count == 3)
        #expect(records[2].entries[0].fullTenths == 1500 && records[2].entries[0].mark == .score(tenths: 1400))
        #expect(summary.findings.contains { $0.row == 5 && $0.message.contains("无法识别的学科") })
        #expect(summary.findings.contains { $0.row == 6 && $0.message.contains("缺考请填") })
    }

    @Test func noSubjectColumnsIsOneClearError() throws {
        let (_, summary) = try read("学籍号,姓名,年级,身高\nG1,甲,四年级,150\n")
        #expect(summary.findings.contains { $0.severity == .error && $0.message.contains("找不到学科成绩列") })
    }

    /// A score-analysis tool's sheet (public, GZYZhy/grade-analyze samples/通常成绩单.xlsx): a
    /// merged title row "4考试成绩单-高一X班", 姓名 only, 总分/原始/名次 columns. The header is found;
    /// rank columns are ignored; 化学 and 生物 are read from their 原始 columns; subjects whose
    /// marks exceed the default full mark draw one finding naming the setting, not one per row.
    @Test func scoreAnalysisToolSheetWithNamesOnly() throws {
        let url = XLSReaderTests.realworld.appendingPathComponent("exam_title_row_names_only.xlsx")
        var records: [AcademicRecord] = []
        let summary = try AcademicReader(term: Term("2025-2026-1")!) { _, _ in 100 }.read(url) { records.append($0) }
        #expect(records.map(\.student.name) == ["A", "B", "C"] && records.allSatisfy { $0.student.studentNo == nil })
        let a = try #require(records.first)
        #expect(Set(a.entries.map(\.subject)) == ["物理", "化学", "生物"])
        #expect(a.entries.first { $0.subject == "化学" }?.mark == .score(tenths: 880))  // 化学原始 88, not the 赋分 97
        #expect(a.entries.first { $0.subject == "生物" }?.mark == .score(tenths: 740))
        #expect(summary.findings.filter { $0.message.contains("超过满分") }.map(\.column) == ["数学", "英语", "语文"])
        #expect(summary.findings.contains { $0.message.contains("\"full_marks\": {\"数学\": 150}") })
        #expect(summary.findings.contains { $0.severity == .info && $0.message.contains("化学、生物同时有原始分和赋分，按原始分导入") })
        let configured = try AcademicReader(term: Term("2025-2026-1")!) { subject, _ in
            ["语文", "数学", "英语"].contains(subject) ? 150 : 100
        }.read(url) { _ in }
        #expect(!configured.findings.contains { $0.severity == .error }, "\(configured.findings.map(\.description))")
    }

    /// Header cells with line breaks (`总分\n赋分`, `化学\n原始`; GZYZhy/grade-analyze 输入成绩单.xlsx).
    @Test func headerCellsWithLineBreaks() throws {
        let url = XLSReaderTests.realworld.appendingPathComponent("exam_multiline_headers.xlsx")
        var records: [AcademicRecord] = []
        _ = try AcademicReader(term: Term("2025-2026-1")!) { _, _ in 150 }.read(url) { records.append($0) }
        let first = try #require(records.first)
        #expect(first.student.name == "A")
        #expect(first.entries.first { $0.subject == "化学" }?.mark == .score(tenths: 770))  // 化学\n原始 77
        #expect(!first.entries.contains { $0.subject == "总分" })
    }
}

@Suite struct MonitoringAndResourceReaderTests {
    func file(_ text: String) throws -> URL {
        let url = try temporaryFolder().appendingPathComponent("表.csv")
        try Data(text.utf8).write(to: url)
        return url
    }

    @Test func monitoringValues() throws {
        var records: [MonitoringRecord] = []
        let summary = try MonitoringReader(defaultYear: 2024).read(
            try file(
                """
                学科,年级,学业水平,校际差异率
                数学,四年级,Ⅲ,0.12
                科学,八年级,水平Ⅳ,9%
                语文,四年级,Ⅴ,0.3
                体育与健康,四年级,,1.5
                数学,四年级,Ⅱ,0.1

                """)
        ) { records.append($0) }
        #expect(records.count == 2)
        #expect(
            records[0].row == 2 && records[0].year == 2024 && records[0].subject == "数学" && records[0].grade.code == 14)
        #expect(records[0].level == .three && records[0].difference == 0.12 && records[0].meanScore == nil)
        #expect(records[1].difference == 0.09 && records[1].grade.code == 22)
        #expect(summary.rowsRejected == 3)
        #expect(summary.findings.contains { $0.row == 4 && $0.message.contains("学业水平") })
        #expect(summary.findings.contains { $0.row == 5 && $0.message.contains("0–1") })
        #expect(summary.findings.contains { $0.row == 6 && $0.message.contains("重复") })
    }

    @Test func resourceRowsAndTheNineYearSplit() throws {
        var records: [ResourceRecord] = []
        let summary = try ResourceReader().read(
            try file(
                """
                学校名称,学段,在校生数,高于规定学历教师数,县级以上骨干教师数,体育艺术专任教师数,教学及辅助用房面积,体育运动场馆面积,教学仪器设备值（万元）,网络多媒体教室数,班级数,最大班额
                青山学校,小学,600,30,8,7,3000,5000,150,15,14,44
                青山学校,初中,300,20,4,4,2000,3500,90.5,8,7,49
                东关学校,九年一贯制,900,50,12,11,5000,8500,240,23,21,48
                西沟教学点,小学,0,1,0,0,100,200,3,1,2,8
                青山学校,小学,600,30,8,7,3000,5000,150,15,14,44

                """)
        ) { records.append($0) }
        #expect(records.count == 2)
        #expect(records[0].stage == .primary && records[1].stage == .junior)
        #expect(records[0].totals[.equipmentValue] == Int64(150 * 10_000 * 100))  // 万元 → 元, in hundredths
        #expect(records[1].totals[.equipmentValue] == Int64(905_000 * 100))
        #expect(records[0].totals[.qualifiedTeachers] == 3000)
        #expect(records[0].largestClass == 44)
        #expect(summary.findings.contains { $0.row == 4 && $0.message.contains("分“小学”“初中”两行") })
        #expect(summary.findings.contains { $0.row == 5 && $0.message.contains("在校生数为 0") })
        #expect(summary.findings.contains { $0.row == 6 && $0.message.contains("同一学校、同一学段") })
    }
}
