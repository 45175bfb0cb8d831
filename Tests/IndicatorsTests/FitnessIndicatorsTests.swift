import Indicators
import Standards
import Testing

@Suite struct FitnessIndicatorsTests {
    /// The summary the reports tally, observation by observation.
    func summary(_ observations: [FitnessObservation]) -> FitnessSummary {
        var summary = FitnessSummary()
        for observation in observations { summary.add(observation) }
        return summary
    }

    func observation(
        _ rating: FitnessRating?, status: FitnessStatus = .scored, sex: Sex = .male, grade: Int = 11,
        bmi: BMICategory? = .normal, school: Int64 = 1
    ) -> FitnessObservation {
        FitnessObservation(
            studentID: 0, schoolID: school, grade: GradeCode(code: grade)!, className: "1班", sex: sex, status: status,
            rating: rating, bmiCategory: bmi, itemScores: rating == nil ? [:] : [.run50m: rating == .fail ? 40 : 80],
            totalHundredths: rating == nil ? nil : 7000)
    }

    /// 20 students: 5 优秀, 6 良好, 7 及格, 1 不及格 tested (19), 1 免测; 优良率 11/19 = 57.9 %,
    /// 及格率 18/19 = 94.7 %.
    @Test func ratesByHand() {
        var observations =
            Array(repeating: observation(.excellent), count: 5) + Array(repeating: observation(.good), count: 6)
        observations +=
            Array(repeating: observation(.pass), count: 7) + [
                observation(.fail), observation(nil, status: .exempt, bmi: nil),
            ]
        let summary = summary(observations)
        #expect(summary.measured == 20 && summary.tested == 19 && summary.exempt == 1)
        #expect(summary.goodOrBetterRate == Rate(11, of: 19))
        #expect(summary.goodOrBetterRate.percentText == "57.9%")
        #expect(summary.passingRate == Rate(18, of: 19))
        #expect(summary.meets(FitnessTargets()) == (true, false))
        #expect(summary.bmiShare(.normal) == Rate(19, of: 19))
        #expect(summary.meanScore(.run50m) == Double(18 * 80 + 40) / 19)
    }

    @Test func incompleteStudentsAreCountedApartNotAsFailing() {
        let summary = summary([observation(.good), observation(nil, status: .incomplete)])
        #expect(summary.tested == 1 && summary.incomplete == 1)
        #expect(summary.passingRate == Rate(1, of: 1))
    }

    @Test func exactlyAtTheTargets() {
        // 55 of 100 优良 and 98 of 100 及格 meet the targets; one fewer does not.
        let at = summary(
            Array(repeating: observation(.good), count: 55) + Array(repeating: observation(.pass), count: 43)
                + Array(repeating: observation(.fail), count: 2))
        #expect(at.meets(FitnessTargets()) == (true, true))
        let below = summary(
            Array(repeating: observation(.good), count: 54) + Array(repeating: observation(.pass), count: 43)
                + Array(repeating: observation(.fail), count: 3))
        #expect(below.meets(FitnessTargets()) == (false, false))
        #expect(summary([]).meets(FitnessTargets()) == (nil, nil))
    }

    @Test func stagesOfGrades() {
        #expect(
            [11, 16, 21, 24, 31, 41].map { FitnessBreakdown.stage(of: GradeCode(code: $0)!) } == [
                "小学", "小学", "初中", "初中", "高中", "大学",
            ])
    }

    /// 毕业成绩 = 毕业当年 × 50 % + 其他学年平均 × 50 %: 80.00 and earlier 70.00, 75.00 → 40 + 36.25 = 76.25.
    @Test func graduationScore() {
        #expect(graduationScoreHundredths(graduatingYear: 8000, earlierYears: [7000, 7500]) == 7625)
        // 75.005 → 75.01 half-up
        #expect(graduationScoreHundredths(graduatingYear: 8001, earlierYears: [7000]) == 7501)
        #expect(graduationScoreHundredths(graduatingYear: 8000, earlierYears: []) == nil)
    }
}
