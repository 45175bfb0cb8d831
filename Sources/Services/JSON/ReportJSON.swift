import Foundation
import Indicators
import Reports
import Standards
import Store

/// The document `jiance report --format json` prints: the fitness, vision and psychological
/// sections of the term (each present when the term has such data) and the self-assessment.
public struct ReportDocument: Encodable, Sendable {
    var fitness: FitnessJSON?
    var vision: VisionJSON?
    var psych: PsychJSON?
    var assessment: AssessmentJSON

    public init(_ reports: TermReports) {
        fitness = reports.fitness.map(FitnessJSON.init)
        vision = reports.vision.map(VisionJSON.init)
        psych = reports.psych.map(PsychJSON.init)
        assessment = AssessmentJSON(reports.assessment)
    }

    /// The document as one school's account may read it: the county's figures and that school's
    /// own lines, no other school's, and no psychological section at all.
    public func cut(to school: SchoolInfo) -> ReportDocument {
        var cut = self
        cut.psych = nil
        cut.assessment.items.removeAll(where: \.psychological)
        cut.fitness?.schools.removeAll { $0.code != school.code || $0.name != school.name }
        cut.vision?.schools.removeAll { $0.code != school.code || $0.name != school.name }
        cut.assessment.resources?.schools.removeAll { $0.code != school.code || $0.school != school.name }
        cut.assessment.resources?.excluded.removeAll { $0.school != school.name }
        if let groups = cut.assessment.academic?.groups.indices {
            for index in groups {
                cut.assessment.academic?.groups[index].schools.removeAll { $0.school != school.name }
            }
        }
        return cut
    }
}

/// 体质健康: the county and each school against the targets.
struct FitnessJSON: Encodable {
    struct Targets: Encodable {
        var goodOrBetter: Double
        var passing: Double
        enum CodingKeys: String, CodingKey {
            case goodOrBetter = "good_or_better"
            case passing
        }
    }

    struct Line: Encodable {
        var name: String
        @OrNull var code: String?
        var enrolled, measured, tested, exempt, incomplete: Int
        var excellent, good, pass, fail: Int
        var excellentRate, goodOrBetterRate, passingRate: Fixed
        @OrNull var meetsGoodOrBetter: Bool?
        @OrNull var meetsPassing: Bool?
        var bmi: [String: Int]

        enum CodingKeys: String, CodingKey {
            case name, code, enrolled, measured, tested, exempt, incomplete, excellent, good, pass, fail, bmi
            case excellentRate = "excellent_rate"
            case goodOrBetterRate = "good_or_better_rate"
            case passingRate = "passing_rate"
            case meetsGoodOrBetter = "meets_good_or_better"
            case meetsPassing = "meets_passing"
        }

        init(_ s: FitnessSummary, name: String, code: String?, enrolled: Int, targets: FitnessTargets) {
            let meets = s.meets(targets)
            (self.name, self.code, self.enrolled) = (name, code, enrolled)
            (measured, tested, exempt, incomplete) = (s.measured, s.tested, s.exempt, s.incomplete)
            (excellent, good, pass, fail) = (s.count(.excellent), s.count(.good), s.count(.pass), s.count(.fail))
            (excellentRate, goodOrBetterRate, passingRate) = (
                Fixed(s.excellentRate), Fixed(s.goodOrBetterRate), Fixed(s.passingRate)
            )
            (meetsGoodOrBetter, meetsPassing) = (meets.goodOrBetter, meets.passing)
            bmi = Dictionary(uniqueKeysWithValues: BMICategory.allCases.map { ($0.rawValue, s.count($0)) })
        }
    }

    var term: String
    var targets: Targets
    var county: Line
    var schools: [Line]

    init(_ report: FitnessReport) {
        term = report.term.description
        targets = Targets(goodOrBetter: report.targets.goodOrBetter, passing: report.targets.passing)
        county = Line(report.county, name: "全县", code: nil, enrolled: report.enrolled, targets: report.targets)
        schools = report.schools.map {
            Line($0.summary, name: $0.school.name, code: $0.school.code, enrolled: $0.enrolled, targets: report.targets)
        }
    }
}

/// 视力: 建档率 and 近视率 with their yearly and cumulative drops, by county, 学段 and school.
struct VisionJSON: Encodable {
    struct Drop: Encodable {
        var earlierRate: Fixed
        var dropPP: Fixed
        var requiredPP: Double
        @OrNull var meets: Bool?
        enum CodingKeys: String, CodingKey {
            case meets
            case earlierRate = "earlier_rate"
            case dropPP = "drop_pp"
            case requiredPP = "required_pp"
        }

        init(_ drop: RateDrop) {
            (earlierRate, dropPP, requiredPP, meets) = (
                Fixed(drop.earlier), Fixed(drop.dropPP, decimals: 2), drop.requiredPP, drop.meets
            )
        }
    }

    struct Line: Encodable {
        var name: String
        @OrNull var code: String?
        var enrolled, recorded, screened, undetermined, myopic, notMyopic: Int
        var coverage, myopiaRate, lowVisionRate, newMyopiaRate: Fixed
        var lowVision: [String: Int]
        var severity: [String: Int]
        @OrNull var yearly: Drop?
        @OrNull var cumulative: Drop?

        enum CodingKeys: String, CodingKey {
            case name, code, enrolled, recorded, screened, undetermined, myopic, coverage, severity, yearly, cumulative
            case notMyopic = "not_myopic"
            case myopiaRate = "myopia_rate"
            case lowVisionRate = "low_vision_rate"
            case newMyopiaRate = "new_myopia_rate"
            case lowVision = "low_vision"
        }

        init(_ line: VisionReport.Line) {
            let s = line.summary
            (name, code, enrolled, recorded) = (line.name, line.school?.code, line.enrolled, line.recorded)
            (screened, undetermined, myopic, notMyopic) = (s.screened, s.undetermined, s.myopic, s.notMyopic)
            (coverage, myopiaRate, lowVisionRate, newMyopiaRate) = (
                Fixed(line.coverage), Fixed(s.myopiaRate), Fixed(s.lowVisionRate), Fixed(line.newMyopia)
            )
            lowVision = Dictionary(
                uniqueKeysWithValues: LowVisionGrade.allCases.map { ($0.rawValue, s.lowVision[$0] ?? 0) })
            severity = Dictionary(
                uniqueKeysWithValues: MyopiaSeverity.allCases.map { ($0.rawValue, s.severity[$0] ?? 0) })
            (yearly, cumulative) = (line.yearly.map(Drop.init), line.cumulative.map(Drop.init))
        }
    }

    var term: String
    @OrNull var previousTerm: String?
    @OrNull var baselineTerm: String?
    var rule: String
    var boundary: String
    var county: Line
    var stages: [Line]
    var schools: [Line]

    enum CodingKeys: String, CodingKey {
        case term, rule, boundary, county, stages, schools
        case previousTerm = "previous_term"
        case baselineTerm = "baseline_term"
    }

    init(_ report: VisionReport) {
        term = report.term.description
        (previousTerm, baselineTerm) = (report.previousTerm?.description, report.baselineTerm?.description)
        (rule, boundary) = (report.settings.description, report.settings.boundary.rawValue)
        (county, stages, schools) = (Line(report.county), report.stages.map(Line.init), report.schools.map(Line.init))
    }
}

/// 心理健康 as counts only, never names (../shared/reference/psych/RULES.md, Confidentiality).
struct PsychJSON: Encodable {
    struct Counts: Encodable {
        var name: String
        @OrNull var code: String?
        var enrolledGrades4To9, screenedGrades4To9, screened, incomplete, void: Int
        var coverage: Fixed
        var proposedLevels: [String: Int]
        var openCases, urgentCases, urgentReviewedInTime, overdue: Int

        enum CodingKeys: String, CodingKey {
            case name, code, screened, incomplete, void, coverage, overdue
            case enrolledGrades4To9 = "enrolled_grades_4_9"
            case screenedGrades4To9 = "screened_grades_4_9"
            case proposedLevels = "proposed_levels"
            case openCases = "open_cases"
            case urgentCases = "urgent_cases"
            case urgentReviewedInTime = "urgent_reviewed_in_time"
        }

        init(_ c: PsychCounts, name: String, code: String?) {
            (self.name, self.code) = (name, code)
            (enrolledGrades4To9, screenedGrades4To9, screened) = (c.enrolledInScope, c.screenedInScope, c.screened)
            (incomplete, void, coverage) = (c.incomplete, c.void, Fixed(Rate(c.screenedInScope, of: c.enrolledInScope)))
            proposedLevels = Dictionary(
                uniqueKeysWithValues: RiskLevel.allCases.map { ($0.rawValue, c.byProposedLevel[$0] ?? 0) })
            (openCases, urgentCases, urgentReviewedInTime, overdue) = (
                c.openCases, c.urgentCases, c.urgentReviewedInTime, c.overdue
            )
        }
    }

    var term: String
    var reviewDays: Int
    var county: Counts
    var schools: [Counts]

    enum CodingKeys: String, CodingKey {
        case term, county, schools
        case reviewDays = "review_days"
    }

    init(_ report: PsychReport) {
        (term, reviewDays) = (report.term.description, report.reviewDays)
        county = Counts(report.county, name: "全县", code: nil)
        schools = report.schools.map { Counts($0.counts, name: $0.school.name, code: $0.school.code) }
    }
}
