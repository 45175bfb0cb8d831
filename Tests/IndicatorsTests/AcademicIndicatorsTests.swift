import Foundation
import Indicators
import Standards
import Testing

/// ../shared/reference/academic/RULES.md §1 (ICC(1), bands, the target) and §2 (差异系数, the
/// seven indicators).
@Suite struct VarianceShareTests {
    let groups: [[Double]] = [[80, 85, 90, 75, 70], [60, 65, 70, 55, 75, 68], [88, 92, 95, 85]]

    @Test func iccTestVectorOfTheReference() throws {
        let share = try #require(VarianceShare(groups: groups))
        #expect(share.students == 15 && share.schools == 3)
        #expect(abs(share.grandMean - 76.867) < 0.0005)
        #expect(abs(share.ssb - 1514.23) < 0.005)
        #expect(abs(share.ssw - 565.5) < 1e-9)
        #expect(abs(share.msb - 757.117) < 0.0005)
        #expect(abs(share.msw - 47.125) < 1e-9)
        #expect(abs(share.n0 - 4.9333) < 0.00005)
        #expect(abs(share.icc - 0.7533) < 0.00005)
        #expect(abs(share.eta2 - 0.7281) < 0.00005)
        #expect(share.value(.icc) == share.icc && share.value(.eta2) == share.eta2)
    }

    @Test func notTheWrongCoefficientOfVariationOfSchoolMeans() throws {
        // RULES.md: a weighted SD of school means over the mean gives 0.1307 and would pass 0.15.
        let means = groups.map { $0.reduce(0, +) / Double($0.count) }
        let wrong = try #require(CoefficientOfVariation(values: means, weights: groups.map { Double($0.count) }))
        #expect(abs(wrong.value - 0.1307) < 0.00005)
        let share = try #require(VarianceShare(groups: groups))
        #expect(share.icc > 0.7)
    }

    @Test func momentsGiveTheSameAsScores() throws {
        let fromScores = try #require(VarianceShare(groups: groups))
        var moments = groups.map { _ in ScoreMoments() }
        for (index, group) in groups.enumerated() { for score in group { moments[index].add(score) } }
        let fromMoments = try #require(VarianceShare(moments: moments))
        #expect(abs(fromScores.icc - fromMoments.icc) < 1e-12)
    }

    @Test func degenerateInputs() {
        #expect(VarianceShare(groups: [[70, 80]]) == nil)  // one school
        #expect(VarianceShare(groups: [[70], [80]]) == nil)  // no within-school freedom
        let identical = VarianceShare(groups: [[70, 70], [70, 70]])
        #expect(identical?.icc == 0 && identical?.eta2 == 0)
        // Schools that differ less than chance: τ is clipped at zero.
        #expect(VarianceShare(groups: [[50, 90], [60, 80], [55, 85]])?.icc == 0)
    }
}

@Suite struct CoefficientOfVariationTests {
    @Test func workedExampleIsWeightedByEnrolment() throws {
        let enrolments: [Double] = [45, 37, 89, 76, 55]
        let books: [Double] = [279, 137, 935, 160, 402]
        let perStudent = zip(books, enrolments).map { $0 / $1 }
        let cv = try #require(CoefficientOfVariation(values: perStudent, weights: enrolments))
        #expect(abs(cv.mean - 6.334) < 0.0005)
        #expect(abs(cv.standardDeviation - 3.2639) < 0.00005)
        #expect(abs(cv.value - 0.5153) < 0.00005)
        #expect(cv.text == "0.515")
        #expect(cv.value > 0.50)  // fails the primary limit
        let unweighted = try #require(CoefficientOfVariation.unweighted(perStudent))
        #expect(abs(unweighted.value - 0.4888) < 0.00005)  // the value it must not give
    }

    @Test func limitIsInclusive() throws {
        // Values 1 and 3 with equal enrolment: mean 2, SD 1, CV exactly 0.5.
        let parts = [1.0, 3.0].enumerated().map { index, value in
            ResourcePart(
                school: "校\(index)", stage: .primary, students: 100, totals: [.keyTeachers: Int64(value * 100)])
        }
        let balance = ResourceBalance(stage: .primary, indicator: .keyTeachers, parts: parts)
        #expect(balance.cv?.value == 0.5)
        #expect(balance.meets == true)  // ≤ 0.50
        let junior = ResourceBalance(
            stage: .junior, indicator: .keyTeachers,
            parts: parts.map {
                var p = $0
                p.stage = .junior
                return p
            })
        #expect(junior.meets == false)  // > 0.45
        #expect(CoefficientOfVariation(values: [], weights: []) == nil)
        #expect(CoefficientOfVariation(values: [0, 0], weights: [1, 1]) == nil)
    }
}

@Suite struct ResourceEvaluationTests {
    /// The thresholds of ../shared/reference/academic/RULES.md §2 (教督〔2017〕6号), written here
    /// rather than taken from the code under test: (小学, 初中) per 100 students for teachers and
    /// rooms, per student for areas and equipment.
    static let reference: [ResourceIndicator: (primary: Double, junior: Double, perHundred: Bool)] = [
        .qualifiedTeachers: (4.2, 5.3, true), .keyTeachers: (1.0, 1.0, true), .artsAndPETeachers: (0.9, 0.9, true),
        .teachingArea: (4.5, 5.8, false), .sportsArea: (7.5, 10.2, false), .equipmentValue: (2000, 2500, false),
        .multimediaRooms: (2.3, 2.4, true),
    ]

    /// A school of 1000 students exactly at every threshold of its stage (totals in hundredths).
    func atThresholds(_ stage: ResourceStage = .primary, students: Int64 = 1000) -> [ResourceIndicator: Int64] {
        var totals: [ResourceIndicator: Int64] = [:]
        for (indicator, row) in Self.reference {
            let threshold = stage == .primary ? row.primary : row.junior
            totals[indicator] = Int64((threshold * 100).rounded()) * students / (row.perHundred ? 100 : 1)
        }
        return totals
    }

    @Test func theCodesThresholdsAreTheReference() {
        for (indicator, row) in Self.reference {
            #expect(indicator.thresholdHundredths(.primary) == Int64((row.primary * 100).rounded()), "\(indicator)")
            #expect(indicator.thresholdHundredths(.junior) == Int64((row.junior * 100).rounded()), "\(indicator)")
        }
    }

    @Test func exactlyAtEveryThresholdMeetsAll() {
        let evaluation = ResourceEvaluation(
            ResourcePart(school: "甲", stage: .primary, students: 1000, totals: atThresholds()))
        #expect(evaluation.metCount == 7)
        #expect(evaluation.passes == true)
        #expect(evaluation.results.first { $0.indicator == .qualifiedTeachers }?.value == 4.2)
    }

    @Test func sixMetAndTheSeventhAt85PercentPasses() {
        var totals = atThresholds()
        totals[.equipmentValue] = 1700 * 1000 * 100  // 1700 元/生 = 85 % of 2000
        let evaluation = ResourceEvaluation(ResourcePart(school: "乙", stage: .primary, students: 1000, totals: totals))
        #expect(evaluation.metCount == 6)
        #expect(evaluation.passes == true)
        #expect(evaluation.reasons.count == 1)
        totals[.equipmentValue] = 1680 * 1000 * 100  // 84 %
        let failing = ResourceEvaluation(ResourcePart(school: "乙", stage: .primary, students: 1000, totals: totals))
        #expect(failing.metCount == 6)
        #expect(failing.passes == false)
        #expect(failing.reasons.contains { $0.contains("85%") })
    }

    @Test func justBelowAThresholdIsNotMet() {
        var totals = atThresholds()
        totals[.qualifiedTeachers]! -= 1  // 41.99 teachers per 1000 students
        let evaluation = ResourceEvaluation(ResourcePart(school: "丙", stage: .primary, students: 1000, totals: totals))
        #expect(evaluation.results.first { $0.indicator == .qualifiedTeachers }?.met == false)
        #expect(evaluation.passes == true)
        totals[.keyTeachers]! -= 1  // two unmet: fails even near the line
        #expect(
            ResourceEvaluation(ResourcePart(school: "丙", stage: .primary, students: 1000, totals: totals)).passes
                == false)
    }

    @Test func juniorThresholdsDiffer() {
        let evaluation = ResourceEvaluation(
            ResourcePart(school: "丁", stage: .junior, students: 1000, totals: atThresholds()))
        // Primary values against junior thresholds: 4.2 < 5.3, 4.5 < 5.8, 7.5 < 10.2, 2000 < 2500, 2.3 < 2.4.
        #expect(evaluation.metCount == 2)
        #expect(evaluation.passes == false)
        let atJunior = ResourceEvaluation(
            ResourcePart(school: "丁", stage: .junior, students: 1000, totals: atThresholds(.junior)))
        #expect(atJunior.metCount == 7 && atJunior.passes == true)
    }

    @Test func missingDataCannotBeJudged() {
        var totals = atThresholds()
        totals[.sportsArea] = nil
        let evaluation = ResourceEvaluation(ResourcePart(school: "戊", stage: .primary, students: 1000, totals: totals))
        #expect(evaluation.passes == nil)
        #expect(evaluation.reasons.first?.contains("体育运动场馆面积") == true)
    }

    @Test func classSizeAndTeacherRatioLimits() {
        var part = ResourcePart(
            school: "己", stage: .primary, students: 900, totals: atThresholds(students: 900), classes: 20,
            largestClass: 45, teachers: 47)
        #expect(ResourceEvaluation(part).classSizeWithinLimit == true)  // 45 ≤ 45
        #expect(ResourceEvaluation(part).averageClassSize == 45)
        part.largestClass = 46
        #expect(ResourceEvaluation(part).classSizeWithinLimit == false)
        #expect(ResourceEvaluation(part).studentTeacherRatioWithinLimit == false)  // 900 / 47 = 19.15 > 19
        part.students = 950
        part.teachers = 50
        #expect(ResourceEvaluation(part).studentTeacherRatioWithinLimit == true)  // exactly 1:19
        part.stage = .junior
        part.students = 675
        #expect(ResourceEvaluation(part).studentTeacherRatioWithinLimit == true)  // exactly 1:13.5
        part.students = 676
        #expect(ResourceEvaluation(part).studentTeacherRatioWithinLimit == false)
        part.teachers = nil
        #expect(ResourceEvaluation(part).studentTeacherRatioWithinLimit == nil)
    }

    @Test func scope() {
        #expect(ResourceScope.exclusion(name: "西沟教学点", kind: nil, students: 49) != nil)
        #expect(ResourceScope.exclusion(name: "西沟教学点", kind: nil, students: 50) == nil)
        #expect(ResourceScope.exclusion(name: "县特殊教育学校", kind: nil, students: 300) != nil)
        #expect(ResourceScope.exclusion(name: "某校", kind: "特殊教育学校", students: 300) != nil)
        #expect(ResourceScope.exclusion(name: "实验小学", kind: "完全小学", students: 30) == nil)
        #expect(ResourceScope.maximumSchoolSize(.nineYear) == 2500)
        #expect(ResourceScope.maximumSchoolSize(.primary) == 2000)
    }
}

@Suite struct AcademicTargetTests {
    @Test func belowFifteenHundredthsIsStrict() {
        let target = AcademicTarget()
        #expect(target.meets(level: .three, difference: 0.1499) == true)
        #expect(target.meets(level: .three, difference: 0.15) == false)  // 低于 → <
        #expect(target.meets(level: .two, difference: 0.05) == false)
        #expect(target.meets(level: .four, difference: 0.0) == true)
        #expect(target.meets(level: nil, difference: 0.1) == nil)
        #expect(target.meets(level: .three, difference: nil) == nil)
        // One part failing fails the target, the other unknown (one school: no 差异率).
        #expect(target.meets(level: .two, difference: nil) == false)
        #expect(target.meets(level: nil, difference: 0.15) == false)
    }

    @Test func summaryKeepsAbsentApartFromZero() {
        var summary = AcademicSummary()
        let scheme = BandScheme.standard
        for score: Int64 in [900, 800] {
            summary.add(
                scoreTenths: score, fullTenths: 1000, band: scheme.band(sumTenths: score, sumFullTenths: 1000, count: 1)
            )
        }
        summary.absent += 1
        #expect(summary.scored == 2)
        #expect(summary.mean == 85)
        #expect(summary.bandOfMean(scheme)?.level == .four)
        #expect(summary.atLeastThree.percentText == "100.0%")
    }

    @Test func settingsFile() throws {
        let json = """
            { "academic": { "scheme": [88, 75, 60], "lower_grades_scheme": "90/80/60", "lower_grades_up_to": 2, "method": "eta2",
                            "full_marks": { "语文": 120, "数学": { "7": 120, "default": 100 } }, "max_difference": 0.12 },
              "county_figures": { "junior_retention": 0.95 } }
            """
        let settings = try CountySettings(json: Data(json.utf8))
        #expect(settings.academic.scheme.id == "88/75/60")
        #expect(settings.academic.method == .eta2)
        #expect(settings.academic.fullMark(subject: "语文", grade: GradeCode(year: 4)) == 120)
        #expect(settings.academic.fullMark(subject: "数学", grade: GradeCode(year: 7)) == 120)
        #expect(settings.academic.fullMark(subject: "数学", grade: GradeCode(year: 4)) == 100)
        #expect(settings.academic.fullMark(subject: "英语", grade: nil) == 100)
        #expect(settings.academic.scheme(for: GradeCode(year: 2)).id == "90/80/60")
        #expect(settings.academic.scheme(for: GradeCode(year: 3)).id == "88/75/60")
        #expect(settings.academic.target.maximumDifference == 0.12)
        #expect(settings.countyFigures[.juniorRetention] == 0.95)
        #expect(CountyFigure.juniorRetention.meets(0.95))
        #expect(!CountyFigure.juniorRetention.meets(0.9499))
        #expect(throws: CountySettings.InvalidSettings.self) {
            try CountySettings(json: Data(#"{"academic":{"scheme":"80/70"}}"#.utf8))
        }
        #expect(throws: CountySettings.InvalidSettings.self) {
            try CountySettings(json: Data(#"{"academic":{"method":"cv"}}"#.utf8))
        }
        #expect(throws: CountySettings.InvalidSettings.self) {
            try CountySettings(json: Data(#"{"county_figures":{"nope":1}}"#.utf8))
        }
    }
}
