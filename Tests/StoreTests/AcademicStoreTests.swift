import Foundation
import GRDB
import Imports
import Indicators
import Reports
import Standards
import Store
import Testing

/// Exams, official monitoring values and school resources through the database into the reports
/// (../shared/reference/academic/RULES.md).
@Suite struct AcademicStoreTests {
    /// The ICC test vector of RULES.md as an exam: A, B, C are three schools of grade 4.
    static let exam = """
        学籍号,姓名,学校名称,年级,数学
        A1,甲一,A校,四年级,80
        A2,甲二,A校,四年级,85
        A3,甲三,A校,四年级,90
        A4,甲四,A校,四年级,75
        A5,甲五,A校,四年级,70
        B1,乙一,B校,四年级,60
        B2,乙二,B校,四年级,65
        B3,乙三,B校,四年级,70
        B4,乙四,B校,四年级,55
        B5,乙五,B校,四年级,75
        B6,乙六,B校,四年级,68
        C1,丙一,C校,四年级,88
        C2,丙二,C校,四年级,92
        C3,丙三,C校,四年级,95
        C4,丙四,C校,四年级,85
        C5,丙五,C校,四年级,缺考

        """

    func importExam(_ database: JianceDatabase, folder: URL) throws -> URL {
        let url = folder.appendingPathComponent("exam.csv")
        try write(Self.exam, to: url)
        let outcome = try AcademicImporter(database: database).importFile(url, term: term, exam: "期末考试")
        #expect(outcome.counts.accepted == 16 && outcome.counts.rejected == 0)
        return url
    }

    @Test func examReportReproducesTheTestVector() throws {
        let (database, folder) = try freshDatabase()
        _ = try importExam(database, folder: folder)
        let report = try AcademicReport.load(from: database, term: term)
        #expect(report.exam == "期末考试")
        let group = try #require(report.groups.first)
        #expect(group.subject == "数学" && group.grade.code == 14)
        #expect(group.county.scored == 15 && group.county.absent == 1)
        #expect(abs((group.county.mean ?? 0) - 76.867) < 0.0005)
        #expect(group.countyBand?.level == .three)  // 76.9 % ≥ 75 %
        let estimate = try #require(group.estimate)
        #expect(abs(estimate.icc - 0.7533) < 0.00005)
        #expect(abs(estimate.eta2 - 0.7281) < 0.00005)
        #expect(group.difference(.icc)?.official == false)  // an estimate
        #expect(report.meets(group) == false)  // 0.75 ≥ 0.15
        #expect(group.source.contains("预估"))
        #expect(group.schools.map(\.band?.level) == [.three, .two, .four])  // A 80 %, B 65.5 %, C 90 %
    }

    @Test func sameExamTwiceChangesNothingAndCorrectionsKeepHistory() throws {
        let (database, folder) = try freshDatabase()
        let url = try importExam(database, folder: folder)
        let again = try AcademicImporter(database: database).importFile(url, term: term, exam: "期末考试")
        #expect(again.duplicateOfBatch != nil)
        let corrected = folder.appendingPathComponent("exam-corrected.csv")
        try write(Self.exam.replacingOccurrences(of: "C5,丙五,C校,四年级,缺考", with: "C5,丙五,C校,四年级,0"), to: corrected)
        let outcome = try AcademicImporter(database: database).importFile(corrected, term: term, exam: "期末考试")
        #expect(outcome.counts.updated == 1 && outcome.counts.unchanged == 15)
        let history = try database.read {
            try Row.fetchAll($0, sql: "SELECT old_values, new_values FROM history WHERE table_name = 'academic_score'")
        }
        #expect(history.count == 1)
        #expect((history[0]["old_values"] as String).contains("absent"))
        let report = try AcademicReport.load(from: database, term: term)
        #expect(report.groups[0].county.scored == 16 && report.groups[0].county.absent == 0)
    }

    @Test func officialValuesTakePrecedence() throws {
        let (database, folder) = try freshDatabase()
        _ = try importExam(database, folder: folder)
        let url = folder.appendingPathComponent("monitoring.csv")
        try write(
            "年度,学科,年级,学业水平,校际差异率\n2025,数学,四年级,Ⅲ,0.12\n2024,数学,四年级,Ⅱ,0.30\n2027,数学,四年级,Ⅰ,0.50\n2025,科学,八年级,Ⅳ,0.15\n",
            to: url)
        let outcome = try MonitoringImporter(database: database).importFile(url, term: term, defaultYear: nil)
        #expect(outcome.counts.accepted == 4)
        let report = try AcademicReport.load(from: database, term: term)
        let math = try #require(report.groups.first { $0.subject == "数学" })
        #expect(math.official?.year == 2025)  // the latest up to 2026, not 2027
        #expect(math.difference(.icc)?.value == 0.12 && math.difference(.icc)?.official == true)
        #expect(report.meets(math) == true)  // the official 0.12, not the local 0.75
        let science = try #require(report.groups.first { $0.subject == "科学" })
        #expect(science.county.scored == 0)  // monitoring only
        #expect(report.meets(science) == false)  // exactly 0.15 is not below 0.15
    }

    @Test func resourcesWithANineYearSchoolAndAnExcludedTeachingPoint() throws {
        let (database, folder) = try freshDatabase()
        let list = folder.appendingPathComponent("list.csv")
        try write("学校名称,学段\n青山学校,九年一贯制\n实验小学,小学\n西沟教学点,小学\n", to: list)
        _ = try RosterImporter(database: database).importFile(list, term: term)
        // Per 100 students: primary thresholds 4.2/1.0/0.9, areas 4.5/7.5, 2000 元, 2.3 rooms.
        let url = folder.appendingPathComponent("resources.csv")
        try write(
            """
            学校名称,学段,在校生数,高于规定学历教师数,县级以上骨干教师数,体育艺术专任教师数,教学及辅助用房面积,体育运动场馆面积,教学仪器设备值,网络多媒体教室数,班级数,最大班额
            青山学校,小学,1400,59,14,13,6300,10500,2800000,33,32,45
            青山学校,初中,1200,64,12,11,6960,12240,3000000,29,24,51
            实验小学,小学,1000,42,10,9,4500,7500,2000000,23,23,46
            西沟教学点,小学,38,1,0,0,100,200,30000,1,2,8

            """, to: url)
        let outcome = try ResourceImporter(database: database).importFile(url, year: 2025)
        #expect(outcome.counts.accepted == 4, "\(outcome.findings)")
        let report = try #require(try ResourceReport.load(from: database, year: 2025))
        #expect(report.excluded.map(\.school) == ["西沟教学点"])
        let parts = report.evaluations.map { "\($0.part.school)|\($0.part.stage.rawValue)" }
        #expect(Set(parts) == ["青山学校|小学", "青山学校|初中", "实验小学|小学"])
        let junior = try #require(report.evaluations.first { $0.part.stage == .junior })
        // 64/1200 = 5.33 per 100 ≥ 5.3; 6960/1200 = 5.8 ≥ 5.8; 12240/1200 = 10.2 ≥ 10.2; 2500 元 ≥ 2500; 29/12 = 2.42 ≥ 2.4.
        #expect(junior.metCount == 7 && junior.passes == true)
        #expect(junior.classSizeWithinLimit == false)  // 51 > 50
        let primary = try #require(report.evaluations.first { $0.part.school == "实验小学" })
        #expect(primary.metCount == 7)  // every value exactly at its threshold
        #expect(primary.classSizeWithinLimit == false)  // 46 > 45
        let size = try #require(report.sizes.first { $0.school == "青山学校" })
        #expect(size.students == 2600 && size.limit == 2500 && !size.withinLimit)  // both parts added up
        let balance = try #require(report.balances.first { $0.stage == .primary && $0.indicator == .keyTeachers })
        #expect(balance.schools == 2)  // the 教学点 is not in the CV
        #expect(balance.cv?.value == 0)  // 1.0 per 100 in both
        #expect(try ResourceReport.load(from: database, year: 2024) == nil)
        #expect(try ResourceReport.load(from: database, year: 2030)?.year == 2025)
    }

    @Test func selfAssessmentListsEveryDimension() throws {
        let (database, folder) = try freshDatabase()
        _ = try importExam(database, folder: folder)
        let assessment = try CountyAssessment.load(from: database, term: term, today: "2025-10-20")
        #expect(assessment.items.contains { $0.dimension == "资源配置" && $0.value == "未导入" && $0.passes == nil })
        #expect(
            assessment.items.contains {
                $0.dimension == "学业质量" && $0.name == "四年级 数学" && $0.value.contains("（预估）") && $0.passes == false
            })
        #expect(assessment.items.contains { $0.dimension == "学生健康" && $0.name.contains("体质") && $0.passes == nil })
        #expect(assessment.items.filter { $0.dimension == "其他县级指标" }.count == CountyFigure.allCases.count)
        #expect(assessment.tally.failed == 1)
    }

    /// A score sheet with names only, imported with --school: each name is matched against the
    /// term's roster of the school (by class when the sheet gives one); a name the roster lacks,
    /// or shares between two students, is a finding and never a new student.
    @Test func namesOnlySheetMatchesTheRoster() throws {
        let (database, folder) = try freshDatabase()
        try write(
            "学籍号,姓名,性别,出生日期,学校,年级,班级\nS1,王一,男,2009-01-01,一中,高一,1班\nS2,李二,女,2009-02-01,一中,高一,1班\nS3,李二,女,2009-03-01,一中,高一,2班\n",
            to: folder.appendingPathComponent("r.csv"))
        _ = try RosterImporter(database: database).importFile(folder.appendingPathComponent("r.csv"), term: term)
        try write("姓名,班级,语文\n王一,,90\n李二,,80\n李二,2班,85\n张三,,70\n", to: folder.appendingPathComponent("exam.csv"))
        let students = try database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM student") }
        let outcome = try AcademicImporter(database: database).importFile(
            folder.appendingPathComponent("exam.csv"), term: term, exam: "期中考试", defaultSchool: "一中")
        #expect(
            outcome.counts.accepted == 2 && outcome.counts.rejected == 2,
            "\(outcome.counts) \(outcome.findings.map(\.description))")
        #expect(outcome.findings.contains { $0.row == 3 && $0.message.contains("有 2 名学生叫“李二”") })
        #expect(outcome.findings.contains { $0.row == 5 && $0.message.contains("没有名为“张三”的学生") })
        #expect(try database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM student") } == students)
        let scored = try database.read {
            try String.fetchAll(
                $0, sql: "SELECT s.student_no FROM academic_score a JOIN student s ON s.id = a.student_id ORDER BY 1")
        }
        #expect(scored == ["S1", "S3"])
    }
}
