import Indicators
import Standards
import Testing

@Suite struct VisionIndicatorsTests {
    func observation(
        _ id: Int64, myopic: Bool?, low: LowVisionGrade? = nil, bothVA: Bool = true, severity: MyopiaSeverity? = nil,
        grade: Int = 14
    ) -> VisionObservation {
        let eye = EyeResult(acuity: .fivePoint(tenths: 48), se: nil, myopic: myopic, lowVision: low, severity: severity)
        let result = VisionResult(
            studentID: "\(id)", grade: GradeCode(code: grade), sex: .male, right: eye, left: eye, myopic: myopic,
            lowVision: bothVA ? (low != nil) : nil, lowVisionGrade: low, severity: severity, glasses: nil, findings: [])
        return VisionObservation(
            studentID: id, schoolID: 1, grade: GradeCode(code: grade), className: "1班", sex: .male, result: result)
    }

    /// 10 screened: 3 myopic, 6 not, 1 undetermined → 近视率 3/9 = 33.3 %; 视力不良 4 of 9 with
    /// both acuities (one has only one) → 44.4 %.
    @Test func handComputedCohort() {
        var cohort = (1...3).map { observation($0, myopic: true, low: .moderate, severity: .low) }
        cohort += (4...9).map { observation($0, myopic: false, low: $0 == 4 ? .mild : nil) }
        cohort.append(observation(10, myopic: nil, bothVA: false))
        var summary = VisionSummary()
        for observation in cohort { summary.add(observation.result) }
        #expect(summary.screened == 10 && summary.undetermined == 1)
        #expect(summary.myopiaRate == Rate(3, of: 9))
        #expect(summary.myopiaRate.percentText == "33.3%")
        #expect(summary.lowVisionRate == Rate(4, of: 9))
        #expect(summary.lowVisionShare(.moderate) == Rate(3, of: 9))
        #expect(summary.severityShare(.low) == Rate(3, of: 3))
    }

    /// Two rounds: 40.0 % last year, 39.5 % now → exactly 0.5 pp: meets; 39.6 % does not.
    @Test func yearlyDropOnTwoRounds() {
        let exact = RateDrop(earlier: Rate(400, of: 1000), current: Rate(395, of: 1000), requiredPP: 0.5)
        #expect(exact.meets == true)
        #expect(abs((exact.dropPP ?? 0) - 0.5) < 1e-9)
        #expect(RateDrop(earlier: Rate(400, of: 1000), current: Rate(396, of: 1000), requiredPP: 0.5).meets == false)
        let rise = RateDrop(earlier: Rate(400, of: 1000), current: Rate(410, of: 1000), requiredPP: 0.5)
        #expect(rise.meets == false && abs((rise.dropPP ?? 0) + 1.0) < 1e-9)
        // Cumulative over three years from a baseline: 1.5 pp needed.
        #expect(RateDrop(earlier: Rate(450, of: 1000), current: Rate(435, of: 1000), requiredPP: 1.5).meets == true)
        #expect(RateDrop(earlier: Rate(450, of: 1000), current: Rate(436, of: 1000), requiredPP: 1.5).meets == false)
        #expect(RateDrop(earlier: Rate(0, of: 0), current: Rate(1, of: 2), requiredPP: 0.5).meets == nil)
        // Province-sized counts do not overflow.
        #expect(
            RateDrop(
                earlier: Rate(4_000_000, of: 10_000_000), current: Rate(3_950_000, of: 10_000_000), requiredPP: 0.5
            ).meets == true)
    }

    @Test func newMyopiaAmongThoseNotMyopicBefore() {
        // Students 1–5 last year (5 undetermined), 1–6 now (4 undetermined, 6 not screened before).
        let before: [Int64: Bool?] = [1: false, 2: false, 3: true, 4: false, 5: nil]
        let now: [(Int64, Bool?)] = [(1, true), (2, false), (3, true), (4, nil), (5, true), (6, true)]
        var count = NewMyopiaCount()
        for (student, myopic) in now { count.add(now: myopic, before: before[student] ?? nil) }
        // At risk and determined now: 1 and 2 → 1 new.
        #expect(count.rate == Rate(1, of: 2))
    }

    @Test func stages() {
        #expect(VisionBreakdown.stage(of: GradeCode(code: 16)) == "小学")
        #expect(VisionBreakdown.stage(of: GradeCode(code: 21)) == "初中")
        #expect(VisionBreakdown.stage(of: GradeCode(code: 31)) == "高中阶段")
    }
}
