import Indicators
import Ingest
import Reports
import Standards
import Store
import Testing

/// Reports built from values alone, as the loaders feed them: no database.
@Suite struct ReportValuesTests {
    let term = Term("2025-2026-1")!
    let east = SchoolInfo(id: 1, code: "001", name: "东关小学", stage: .primary)
    let west = SchoolInfo(id: 2, code: "002", name: "西关小学", stage: .primary)

    func fitness(_ id: Int64, school: Int64, grade: Int = 11, _ rating: FitnessRating?) -> FitnessObservation {
        FitnessObservation(
            studentID: id, schoolID: school, grade: GradeCode(code: grade)!, className: "1班", sex: .male,
            status: rating == nil ? .exempt : .scored, rating: rating, bmiCategory: .normal, itemScores: [:],
            totalHundredths: rating == nil ? nil : 8_000)
    }

    /// 优良率 = (优秀 + 良好) / tested (fitness README, Rules): 免测 is left out of the denominator,
    /// and the school lines come lowest 优良率 first, for the bureau's attention.
    @Test func fitnessReportFromTwoSchoolsObservations() {
        var tally = FitnessReport.Tally()
        for observation in [
            fitness(1, school: 1, .excellent), fitness(2, school: 1, .good), fitness(3, school: 1, .fail),
            fitness(4, school: 1, nil), fitness(5, school: 2, .pass), fitness(6, school: 2, .good),
            fitness(7, school: 2, grade: 21, .fail), fitness(8, school: 2, grade: 21, .fail),
        ] {
            tally.add(observation)
        }
        let report = FitnessReport(term: term, schools: [east, west], enrolment: [1: 5, 2: 4], tally: tally)
        #expect(report.schools.map(\.school.name) == ["西关小学", "东关小学"])
        #expect(report.schools.map(\.summary.goodOrBetterRate) == [Rate(1, of: 4), Rate(2, of: 3)])
        #expect(report.county.goodOrBetterRate == Rate(3, of: 7))
        #expect(report.county.exempt == 1)
        #expect(report.enrolled == 9)
        #expect(report.stages.map(\.name) == ["小学", "初中"])
        #expect(report.stages.map(\.summary.tested) == [5, 2])
    }

    /// Dioptres as the ledger writes them: an eighth keeps its third decimal.
    @Test func dioptresKeepAnEighth() {
        #expect(StudentHistory.Screening.dioptres(-1.625) == "-1.625")
        #expect(
            StudentHistory.Screening.dioptres(-1.25) == "-1.25" && StudentHistory.Screening.dioptres(-0.5) == "-0.50")
        #expect(StudentHistory.Screening.dioptres(0.375) == "0.375" && StudentHistory.Screening.dioptres(nil) == "—")
    }

    /// A result of a school missing from the school list counts for the county, not as a line.
    @Test func fitnessResultOfAnUnknownSchoolCountsOnlyForTheCounty() {
        var tally = FitnessReport.Tally()
        tally.add(fitness(1, school: 1, .good))
        tally.add(fitness(2, school: 9, .fail))
        let report = FitnessReport(term: term, schools: [east], enrolment: [:], tally: tally)
        #expect(report.schools.map(\.school.id) == [1])
        #expect(report.county.tested == 2)
    }

    /// 建档率 counts a student with a record of every kind asked for; the lowest rate comes first.
    @Test func healthRecordReportFromEnrolledStudents() {
        let students = [
            EnrolledRecord(schoolID: 1, name: "甲", kinds: [.vision, .fitness]),
            EnrolledRecord(schoolID: 1, name: "乙", kinds: [.vision]),
            EnrolledRecord(schoolID: 2, name: "丙", kinds: [.vision, .fitness]),
        ]
        func report(_ kinds: [HealthRecordKind]) -> HealthRecordReport {
            var tally = HealthRecordReport.Tally(kinds: kinds)
            for student in students { tally.add(student) }
            return HealthRecordReport(term: term, schools: [east, west], tally: tally)
        }
        let both = report(HealthRecordKind.allCases)
        #expect(both.county.rate == Rate(2, of: 3))
        #expect(both.schools.map(\.name) == ["东关小学", "西关小学"])
        #expect(both.schools.map(\.rate) == [Rate(1, of: 2), Rate(1, of: 1)])
        #expect(students[1].lacking(both.kinds) == [.fitness])
        let vision = report([.vision])
        #expect(vision.county.rate == Rate(3, of: 3) && vision.schools.map(\.recorded) == [2, 1])
    }

    /// Special-education schools are outside the evaluation (academic RULES.md §2), and the parts
    /// of a 九年一贯制 school add up against its 2500-student limit (§3).
    @Test func resourceReportFromRows() {
        func row(_ school: String, _ stage: ResourceStage, students: Int, schoolStage: SchoolStage? = nil)
            -> SchoolResourceRow
        {
            SchoolResourceRow(
                part: ResourcePart(
                    school: school, schoolStage: schoolStage, stage: stage, students: students,
                    totals: [.teachingArea: Int64(students) * 500]))
        }
        let report = ResourceReport(
            year: 2025, years: [2024, 2025],
            rows: [
                row("东关九年一贯制学校", .junior, students: 1_200, schoolStage: .nineYear),
                row("东关九年一贯制学校", .primary, students: 1_200, schoolStage: .nineYear),
                row("县特殊教育学校", .primary, students: 80),
                row("西关小学", .primary, students: 2_100, schoolStage: .primary),
            ])
        #expect(report.excluded.map(\.school) == ["县特殊教育学校"])
        #expect(report.evaluations.count == 3)
        #expect(report.sizes.map(\.school) == ["东关九年一贯制学校", "西关小学"])
        #expect(report.sizes.map(\.withinLimit) == [true, false])
        #expect(report.balances.map(\.stage).contains(.junior))
    }

    /// Without any data each section of the self-assessment says what to import; an exam report
    /// without groups counts as missing.
    @Test func countyAssessmentWithoutDataNamesWhatToImport() {
        let academic = AcademicReport(
            term: term, exams: [], exam: nil, schools: [east], official: [], tally: AcademicReport.Tally())
        let assessment = CountyAssessment(
            term: term, resources: nil, academic: academic, fitness: nil, vision: nil, psych: nil, healthRecord: nil)
        #expect(assessment.academic == nil)
        #expect(assessment.items.filter { $0.value == "未导入" }.map(\.dimension) == ["资源配置", "学业质量", "学生健康", "学生健康"])
        #expect(assessment.tally.met == 0 && assessment.tally.failed == 0)
    }

    /// Marks stream into the tally; the county line is the schools' lines together, schools by code.
    @Test func academicReportFromMarks() throws {
        var tally = AcademicReport.Tally()
        let grade = GradeCode(code: 16)!
        for (school, mark) in [
            (Int64(2), AcademicMark.score(tenths: 900)), (2, .score(tenths: 700)), (1, .score(tenths: 800)),
            (1, .absent),
        ] {
            tally.add(AcademicMarkRow(schoolID: school, grade: grade, subject: "数学", mark: mark, fullTenths: 1_000))
        }
        let report = AcademicReport(
            term: term, exams: ["期末"], exam: "期末", schools: [east, west], official: [], tally: tally)
        let group = try #require(report.groups.first)
        #expect(report.groups.count == 1)
        #expect(group.schools.map(\.school.name) == ["东关小学", "西关小学"])
        #expect(group.county.scored == 3 && group.county.absent == 1)
        #expect(group.fullTenths == 1_000)
        #expect(group.estimate != nil)
    }
}
