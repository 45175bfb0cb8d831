import Foundation
import GRDB
import Imports
import Indicators
import Reports
import Standards
import Store
import Testing

/// Trends over synthetic terms with hand-computed values: two schools, a school absent from a
/// term, a student who changes school, a spring screening between two autumns.
@Suite struct TrendReportTests {
    let t2023 = Term("2023-2024-1")!, t2024 = Term("2024-2025-1")!, spring = Term("2024-2025-2")!,
        t2025 = Term("2025-2026-1")!
    static let header =
        "年级编号,班级编号,班级名称,学籍号,民族代码,姓名,性别,出生日期,家庭住址,右眼裸眼视力,左眼裸眼视力,右眼屈光球镜S,右眼屈光柱镜C,右眼屈光轴位A,左眼屈光球镜S,左眼屈光柱镜C,左眼屈光轴位A,是否为角膜塑形镜（OK镜）佩戴者\n"

    func screening(_ students: [(String, Bool)]) -> String {
        Self.header
            + students.map { id, myopic in
                myopic
                    ? "14,1401,1班,\(id),1,学生\(id),1,2015/3/4,,4.8,4.8,-1.50,0,,-1.50,0,,否"
                    : "14,1401,1班,\(id),1,学生\(id),1,2015/3/4,,5.0,5.0,0,0,,0,0,,否"
            }.joined(separator: "\n") + "\n"
    }

    func roster(_ rows: [(String, String)]) -> String {
        "学籍号,姓名,性别,出生日期,学校,年级,班级\n"
            + rows.map { "\($0.0),学生\($0.0),男,2015-03-04,\($0.1),四年级,1班" }.joined(separator: "\n") + "\n"
    }

    /// 2023 autumn: A S1 m, S2–S4 n; B S5 n, S6 m (2/6). 2024 autumn: S5 has moved to A; A S1, S2 m,
    /// S3–S5 n (2/5); B not screened. 2024 spring: A S1 m, S2 n (1/2). 2025 autumn: A S1–S3 m, S5 n;
    /// S4 enrolled but not screened; S6 gone; B S7 n (3/5).
    func database() throws -> JianceDatabase {
        let (database, folder) = try freshDatabase()
        let rosters: [(Term, [(String, String)])] = [
            (t2023, [("S1", "A校"), ("S2", "A校"), ("S3", "A校"), ("S4", "A校"), ("S5", "B校"), ("S6", "B校")]),
            (t2024, [("S1", "A校"), ("S2", "A校"), ("S3", "A校"), ("S4", "A校"), ("S5", "A校")]),
            (spring, [("S1", "A校"), ("S2", "A校"), ("S3", "A校"), ("S4", "A校"), ("S5", "A校")]),
            (t2025, [("S1", "A校"), ("S2", "A校"), ("S3", "A校"), ("S4", "A校"), ("S5", "A校"), ("S7", "B校")]),
        ]
        let screenings: [(Term, [(String, Bool)])] = [
            (t2023, [("S1", true), ("S2", false), ("S3", false), ("S4", false), ("S5", false), ("S6", true)]),
            (t2024, [("S1", true), ("S2", true), ("S3", false), ("S4", false), ("S5", false)]),
            (spring, [("S1", true), ("S2", false)]),
            (t2025, [("S1", true), ("S2", true), ("S3", true), ("S5", false), ("S7", false)]),
        ]
        for (term, rows) in rosters {
            let url = folder.appendingPathComponent("roster-\(term).csv")
            try write(roster(rows), to: url)
            #expect(try RosterImporter(database: database).importFile(url, term: term).counts.rejected == 0)
        }
        for (term, rows) in screenings {
            let url = folder.appendingPathComponent("vision-\(term).csv")
            try write(screening(rows), to: url)
            #expect(try VisionImporter(database: database).importFile(url, term: term).counts.accepted == rows.count)
        }
        return database
    }

    @Test func countyAndSchoolsByHand() throws {
        let database = try database()
        let report = try TrendReport.load(from: database)
        #expect(report.terms == [t2023, t2024, spring, t2025])
        let myopia = try #require(report.county[.myopia])
        #expect(myopia.values[t2023]?.rate == Rate(2, of: 6))
        #expect(myopia.values[t2024]?.rate == Rate(2, of: 5))
        #expect(myopia.values[spring]?.rate == Rate(1, of: 2))
        #expect(myopia.values[t2025]?.rate == Rate(3, of: 5))
        let change = try #require(myopia.change(at: t2025, targets: report.targets))
        #expect(change.previous == t2024)  // season to season, not the spring
        #expect(abs(change.delta - 20) < 1e-9 && change.meets == false)
        // 新发近视率 2024 autumn: not myopic in 2023 and screened again: S2, S3, S4, S5 (S5 at B then) → S2.
        #expect(report.county[.newMyopia]?.values[t2024]?.rate == Rate(1, of: 4))
        #expect(report.county[.visionRecords]?.values[t2025]?.rate == Rate(5, of: 6))

        let a = try #require(report.schools.first { $0.school.name == "A校" })
        let b = try #require(report.schools.first { $0.school.name == "B校" })
        #expect(a.series[.myopia]?.values[t2025]?.rate == Rate(3, of: 4))
        // A's 2024 新发近视率 counts S5, who was at B in 2023: S2, S3, S4, S5 → S2.
        #expect(a.series[.newMyopia]?.values[t2024]?.rate == Rate(1, of: 4))
        #expect(b.series[.myopia]?.values.keys.sorted() == [t2023, t2025])  // absent in 2024
        #expect(b.series[.myopia]?.change(at: t2025, targets: report.targets) == nil)
        #expect(report.attention(.myopia).map(\.school.name) == ["A校"])  // B has no comparable term
        #expect(abs((report.attention(.myopia).first?.gap ?? 0) - 35.5) < 1e-9)  // 40 % → 75 %: 35 + 0.5
    }

    /// The 2025 autumn report against 2024 autumn and the 2023 baseline, each school's earlier
    /// rates from the screenings it held then, 新发近视 from each student's own earlier result.
    @Test func visionReportLinesByHand() throws {
        let database = try database()
        let report = try VisionReport.load(from: database, term: t2025, target: MyopiaTarget(baselineYear: 2023))
        #expect(report.previousTerm == t2024 && report.baselineTerm == t2023)
        #expect(report.county.summary.myopiaRate == Rate(3, of: 5))
        #expect(report.county.yearly?.earlier == Rate(2, of: 5))
        #expect(report.county.cumulative?.earlier == Rate(2, of: 6) && report.county.cumulative?.requiredPP == 1)
        // Not myopic in 2024 and determined now: S3 (myopic now), S5 → 1 of 2; S7 was not screened.
        #expect(report.county.newMyopia == Rate(1, of: 2))
        #expect(report.county.enrolled == 6 && report.county.recorded == 5)
        #expect(report.schools.map(\.name) == ["A校", "B校"])
        let (a, b) = (report.schools[0], report.schools[1])
        #expect(a.summary.myopiaRate == Rate(3, of: 4) && a.yearly?.earlier == Rate(2, of: 5))
        #expect(a.cumulative?.earlier == Rate(1, of: 4))  // S1–S4 in 2023; S5 was at B then
        #expect(a.newMyopia == Rate(1, of: 2) && a.enrolled == 5 && a.recorded == 4)
        #expect(b.summary.myopiaRate == Rate(0, of: 1) && b.yearly?.earlier == Rate(0, of: 0))
        #expect(b.cumulative?.earlier == Rate(1, of: 2) && b.newMyopia == Rate(0, of: 0))
        #expect(report.stages.map(\.name) == ["全县小学"])
        #expect(report.stages[0].summary.myopiaRate == Rate(3, of: 5) && report.stages[0].newMyopia == Rate(1, of: 2))
    }

    @Test func cohortsFollowTheSameStudentsAcrossSchools() throws {
        let database = try database()
        // One student record for S5 though the school changed.
        let count = try database.read {
            try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM student WHERE student_no = 'S5'")
        }
        #expect(count == 1)
        let report = try TrendReport.load(from: database)
        let vision = try #require(report.cohorts.vision)
        #expect(vision.from == t2024 && vision.to == t2025)
        #expect(vision.newMyopia == Rate(1, of: 2))  // S3 of S3, S5 (S4 not screened)
        #expect(vision.lost.stillEnrolled == 1 && vision.lost.notEnrolled == 0)  // S4
        #expect(report.cohorts.fitness == nil && report.cohorts.psych == nil)
    }

    @Test func rangeAndSchoolFilter() throws {
        let database = try database()
        let report = try TrendReport.load(from: database, since: t2024, through: spring, school: "B校")
        #expect(report.terms == [t2024, spring])
        #expect(report.schools.isEmpty)  // B screened neither term
        #expect(report.county[.myopia]?.values.count == 2)
        #expect(report.cohorts.vision == nil)  // no same-season pair inside the range
    }

    @Test func fitnessTransitionsAndRisingRisk() throws {
        let (database, folder) = try freshDatabase()
        let roster =
            "学籍号,姓名,性别,出生日期,学校,年级,班级\nG001,王堃,男,2019-03-04,实验小学,一年级,1班\nG002,陈镕,女,2019-05-06,实验小学,一年级,1班\nG003,张喆,男,2019-05-06,实验小学,一年级,1班\n"
        let header = "年级编号,班级编号,班级名称,学籍号,民族代码,姓名,性别,出生日期,身高,体重,肺活量,50米跑,坐位体前屈,一分钟跳绳\n"
        let excellent = "11,1101,1班,G001,1,王堃,1,2019/3/4,120.0,22.0,1250,10.9,12.5,115\n"
        let failing = "11,1101,1班,G002,1,陈镕,2,2019/5/6,115,30,520,13.5,-2.0,10\n"
        let incomplete = "11,1101,1班,G003,1,张喆,1,2019/5/6,118,21,1000,,14.0,100\n"
        let phq = { (rows: [(String, Int)]) in
            "学籍号,姓名,学校名称,年级,班级,Q1,Q2,Q3,Q4,Q5,Q6,Q7,Q8,Q9\n"
                + rows.map { id, each in
                    "\(id),某,实验小学,四年级,1班," + Array(repeating: String(each), count: 8).joined(separator: ",") + ",0"
                }.joined(separator: "\n") + "\n"
        }
        for (term, fitness, psych) in [
            (t2024, header + excellent + failing + incomplete, phq([("G001", 0), ("G002", 2)])),
            (t2025, header + excellent + failing, phq([("G001", 2), ("G002", 0), ("G003", 0)])),
        ] {
            try write(roster, to: folder.appendingPathComponent("r.csv"))
            _ = try RosterImporter(database: database).importFile(folder.appendingPathComponent("r.csv"), term: term)
            try write(fitness, to: folder.appendingPathComponent("f-\(term).csv"))
            _ = try FitnessImporter(database: database, scorer: FitnessScorer.bundled()).importFile(
                folder.appendingPathComponent("f-\(term).csv"), term: term)
            try write(psych, to: folder.appendingPathComponent("p-\(term).csv"))
            let outcome = try PsychImporter(database: database).importFile(
                folder.appendingPathComponent("p-\(term).csv"), term: term, scale: PsychScale.named("phq9"),
                wave: "\(term)", screenedOn: CalendarDate(year: term.startYear, month: 10, day: 10)!)
            #expect(outcome.counts.accepted > 0, "\(outcome.findings)")
        }
        let report = try TrendReport.load(from: database)
        let fitness = try #require(report.cohorts.fitness)
        #expect(fitness.from == t2024 && fitness.to == t2025)
        #expect(fitness.count(.excellent, .excellent) == 1 && fitness.count(.fail, .fail) == 1 && fitness.followed == 2)
        #expect(fitness.improved == 0 && fitness.declined == 0)
        #expect(fitness.lost.stillEnrolled == 1)  // G003: enrolled, no result this time
        // PHQ-9 totals 0 → 16 (黄) for G001, 16 → 0 for G002; G003 new.
        let psych = try #require(report.cohorts.psych)
        #expect(psych.rose == 1 && psych.fell == 1 && psych.same == 0)
        #expect(
            report.county[.psychYellow]?.values[t2024]?.value == 1
                && report.county[.psychYellow]?.values[t2025]?.value == 1)
        #expect(report.county[.goodOrBetter]?.values[t2025]?.rate == Rate(1, of: 2))
    }
}
