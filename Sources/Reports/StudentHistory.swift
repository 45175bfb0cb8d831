import Foundation
import Indicators
import Ingest
import Standards
import Store

/// One student's record across every term the database holds (the 健康档案 a school keeps):
/// where the student was enrolled, growth and fitness by term, and every vision screening. A
/// student who moved school keeps one record (the student is one row, enrolled term by term).
/// Never any psychological data (../shared/reference/psych/RULES.md, Confidentiality).
public struct StudentHistory: Sendable {
    public struct Enrolment: Sendable {
        public var term: Term
        public var school: String
        public var grade: GradeCode?
        public var className: String?
    }

    public struct FitnessYear: Sendable {
        public var term: Term
        public var grade: GradeCode
        public var status: FitnessStatus
        public var heightCm: Double?
        public var weightKg: Double?
        public var bmi: Double?
        public var bmiCategory: String?
        /// Each measured item with its result and score.
        public var items: [(item: FitnessItem, result: Double, score: Int?)]
        public var standardHundredths: Int?
        public var bonus: Int
        public var totalHundredths: Int?
        public var rating: FitnessRating?
        /// 毕业成绩 in a graduating grade: half this year's total and half the earlier years'
        /// average (../shared/reference/fitness/README.md, Rules); nil otherwise.
        public var graduationHundredths: Int?

        /// The 等级 as printed: the rating, else why there is none (免测, 测试不完整).
        public var ratingText: String { rating?.rawValue ?? (status == .exempt ? "免测" : "测试不完整") }
    }

    public struct Screening: Sendable {
        public var term: Term
        public var round: VisionRound
        public var right: String?
        public var left: String?
        public var rightSE: Double?
        public var leftSE: Double?
        public var myopic: Bool?
        public var lowVisionGrade: String?
        public var needsReferral: Bool
        /// What the school sent back on the referral ledger (复查日期, 复查结果 …).
        public var followUp: [String: String]

        /// 是/否, or 无法判定 when an eye could not be measured.
        public var myopicText: String { myopic.map { $0 ? "是" : "否" } ?? "无法判定" }

        /// The follow-up the school sent back as one line (`复查日期：…；复查结果：…`), nil when none.
        public var followUpText: String? {
            followUp.isEmpty
                ? nil : followUp.sorted { $0.key < $1.key }.map { "\($0.key)：\($0.value)" }.joined(separator: "；")
        }

        /// A spherical equivalent in dioptres to the hundredth, or to the thousandth where that of
        /// quarter-dioptre lenses ends in an eighth (−1.25 + −0.75 / 2 = −1.625), as the ledger
        /// writes it: two decimals would round it to −1.62.
        public static func dioptres(_ value: Double?) -> String {
            guard let value else { return "—" }
            let thousandths = (value * 1000).rounded()
            return String(format: thousandths.truncatingRemainder(dividingBy: 10) == 0 ? "%.2f" : "%.3f", value)
        }
    }

    public var studentNo: String?
    public var name: String
    public var sex: Sex?
    public var birthDate: CalendarDate?
    public var enrolments: [Enrolment]
    public var fitness: [FitnessYear]
    public var vision: [Screening]

    /// A student's record from their rows, each list in term order; the 毕业成绩 of a graduating
    /// year is worked out here from the totals of the earlier school years.
    public init(
        studentNo: String?, name: String, sex: Sex?, birthDate: CalendarDate?, enrolments: [Enrolment],
        fitness: [FitnessYear], vision: [Screening]
    ) {
        (self.studentNo, self.name, self.sex, self.birthDate) = (studentNo, name, sex, birthDate)
        (self.enrolments, self.vision) = (enrolments, vision)
        var fitness = fitness
        // 毕业成绩: a graduating year's total with the totals of the earlier school years.
        for index in fitness.indices where fitness[index].grade.isGraduating {
            guard let total = fitness[index].totalHundredths else { continue }
            let earlier = fitness[..<index].filter { $0.term.startYear < fitness[index].term.startYear }
            // The latest term of each earlier school year counts once.
            let byYear = Dictionary(
                grouping: earlier.compactMap { year in year.totalHundredths.map { (year.term, $0) } }
            ) {
                $0.0.startYear
            }
            let totals = byYear.values.compactMap { $0.max { $0.0 < $1.0 }?.1 }
            fitness[index].graduationHundredths = graduationScoreHundredths(graduatingYear: total, earlierYears: totals)
        }
        self.fitness = fitness
    }

    /// Loads the record of the student with `studentNo` (as typed: spaces around and lower case
    /// are forgiven), nil when the database has none.
    /// The 学籍号 as the readers store it: full-width characters folded and letters upper-cased
    /// (a number typed `Ｇ１００…` or `g100…` finds the student).
    public static func load(from database: JianceDatabase, studentNo: String) throws -> StudentHistory? {
        let stored = ValueParsing.normalize(studentNo).uppercased()
        return try database.read { db in
            try StudentHistoryQueries.studentID(db, studentNo: stored).flatMap {
                try StudentHistoryQueries.records(db, studentIDs: [$0])[$0]
            }
        }
    }

    /// Loads the records of many students (a school's classes) by student id, in a few queries
    /// per 500 students rather than four per student.
    public static func load(from database: JianceDatabase, studentIDs: [Int64]) throws -> [Int64: StudentHistory] {
        try database.read { db in try StudentHistoryQueries.records(db, studentIDs: studentIDs) }
    }
}
