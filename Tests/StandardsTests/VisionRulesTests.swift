import Standards
import Testing

@Suite struct VisionRulesTests {
    let classifier = VisionClassifier()

    func eye(_ va: Int?, _ s: Double?, _ c: Double? = nil) -> EyeMeasurement {
        EyeMeasurement(
            acuity: va.map { .fivePoint(tenths: $0) }, sphere: s.flatMap(Diopters.init(diopters:)),
            cylinder: c.flatMap(Diopters.init(diopters:)))
    }

    func person(
        _ right: EyeMeasurement, _ left: EyeMeasurement, glasses: GlassesType? = nil, ageMonths: Int? = 120,
        settings: VisionSettings = VisionSettings()
    ) -> VisionResult {
        VisionClassifier(settings: settings).classify(
            VisionInput(
                studentID: "t", grade: GradeCode(code: 14), sex: .male, ageMonths: ageMonths, right: right, left: left,
                glasses: glasses))
    }

    @Test func acuityFivePointZeroIsNotMyopicFourNineIs() {
        #expect(person(eye(50, -1.0), eye(50, -1.0)).myopic == false)
        #expect(person(eye(49, -1.0), eye(50, 0)).myopic == true)
        #expect(person(eye(49, -1.0), eye(50, 0)).right.myopic == true)
    }

    /// SE exactly −0.50: not myopic with `<` (default), myopic with `<=`.
    @Test func seExactlyMinusHalfWithBothSettings() {
        #expect(person(eye(48, -0.5), eye(48, -0.5)).myopic == false)
        #expect(person(eye(48, -0.5), eye(48, -0.5), settings: VisionSettings(boundary: .lessOrEqual)).myopic == true)
        #expect(person(eye(48, -0.75), eye(50, 0)).myopic == true)
    }

    /// S −0.25, C −0.50: SE = −0.25 + (−0.25) = −0.50 exactly, in integers.
    @Test func sphereMinusQuarterCylinderMinusHalf() {
        let measured = eye(48, -0.25, -0.5)
        #expect(measured.sphericalEquivalent == Diopters(thousandths: -500))
        #expect(person(measured, measured).myopic == false)
        #expect(person(measured, measured, settings: VisionSettings(boundary: .lessOrEqual)).myopic == true)
        #expect(eye(48, -0.25, -0.25).sphericalEquivalent == Diopters(thousandths: -375))
        #expect(Diopters(thousandths: -375).description == "-0.375")
        #expect(Diopters(thousandths: 500).description == "+0.50")
    }

    @Test func oneEyeMissingIsUndetermined() {
        let result = person(eye(48, -2.0), EyeMeasurement())
        #expect(result.myopic == nil)
        #expect(result.lowVision == nil)
        #expect(result.findings.contains { $0.message.contains("左眼缺少裸眼视力") })
        // A known part can rule an eye out: VA 5.0 with no refraction is not myopic.
        #expect(person(eye(48, -2.0), eye(50, nil)).myopic == true)
        #expect(person(eye(50, nil), eye(51, nil)).myopic == false)
        #expect(person(eye(48, nil), eye(50, nil)).myopic == nil)
    }

    @Test func orthokeratologyWithoutRefractionIsMyopic() {
        let result = person(eye(50, nil), eye(50, nil), glasses: .orthokeratology)
        #expect(result.myopic == true)
        #expect(result.severity == nil)
    }

    @Test func frameGlassesAreJudgedByTheRule() {
        #expect(person(eye(50, -2.0), eye(50, -2.0), glasses: .frame).myopic == false)
    }

    @Test func lowVisionGrades() {
        #expect(person(eye(49, 0), eye(50, 0)).lowVisionGrade == .mild)
        #expect(person(eye(46, 0), eye(48, 0)).lowVisionGrade == .moderate)
        #expect(person(eye(45, 0), eye(49, 0)).lowVisionGrade == .severe)
        #expect(person(eye(50, 0), eye(53, 0)).lowVision == false)
        #expect(person(EyeMeasurement(acuity: .belowChart("指数")), eye(50, 0)).lowVisionGrade == .severe)
    }

    @Test func severityByWorstMyopicEye() {
        #expect(person(eye(48, -0.75), eye(48, -3.25)).severity == .moderate)
        #expect(person(eye(48, -3.25), eye(48, -6.25)).severity == .high)
        #expect(person(eye(48, -6.0), eye(50, 0)).severity == .moderate)  // −6.00 is 中度
        #expect(person(eye(48, -3.0), eye(50, 0)).severity == .low)  // −3.00 is 低度
    }

    @Test func underSixUsesFourNine() {
        #expect(person(eye(49, -1.0), eye(49, -1.0), ageMonths: 70).myopic == false)
        #expect(person(eye(49, -1.0), eye(49, -1.0), ageMonths: 72).myopic == true)
        #expect(
            person(eye(49, -1.0), eye(49, -1.0), ageMonths: 70, settings: VisionSettings(underSixThreshold: false))
                .myopic == true)
    }

    @Test func decimalAcuityMapsDownNeverUp() {
        #expect(Acuity.fromDecimal(1.0)?.acuity == .fivePoint(tenths: 50))
        #expect(Acuity.fromDecimal(1.0)?.exact == true)
        #expect(Acuity.fromDecimal(0.9)?.acuity == .fivePoint(tenths: 49))
        #expect(Acuity.fromDecimal(0.9)?.exact == false)
        #expect(Acuity.fromDecimal(0.7)?.acuity == .fivePoint(tenths: 48))
        #expect(Acuity.fromDecimal(0.12)?.acuity == .fivePoint(tenths: 41))
        #expect(Acuity.fromDecimal(2.0)?.acuity == .fivePoint(tenths: 53))
        if case .belowChart = Acuity.fromDecimal(0.08)?.acuity {
        } else {
            Issue.record("0.08 should be below the chart")
        }
        #expect(Acuity.fromFivePoint(4.95)?.acuity == .fivePoint(tenths: 49))
        #expect(Acuity.fromFivePoint(5.4) == nil)
        // The chart rows of ../shared/reference/vision/RULES.md, written here: each decimal value
        // gives its five-point row exactly, both ways.
        let chart: [(fivePoint: Int, decimal: Double)] = [
            (40, 0.1), (41, 0.12), (42, 0.15), (43, 0.2), (44, 0.25), (45, 0.3), (46, 0.4),
            (47, 0.5), (48, 0.6), (49, 0.8), (50, 1.0), (51, 1.2), (52, 1.5), (53, 2.0),
        ]
        for (fivePoint, decimal) in chart {
            #expect(Acuity.fromDecimal(decimal)?.acuity == .fivePoint(tenths: fivePoint), "\(decimal)")
            #expect(Acuity.fromDecimal(decimal)?.exact == true, "\(decimal)")
        }
        #expect(Acuity.chartRows.map(\.tenths) == chart.map(\.fivePoint))
        #expect(Acuity.chartRows.map(\.decimalThousandths) == chart.map { Int(($0.decimal * 1000).rounded()) })
    }

    @Test func textAcuitiesAreBelowTheChart() {
        for text in ["<4.0", "指数", "手动", "光感", "无光感", "CF", "HM", "LP", "NLP"] {
            #expect(Acuity.isBelowChartText(text), "\(text)")
        }
        #expect(!Acuity.isBelowChartText("4.8"))
        #expect(Acuity.belowChart("手动").tenths < 40)
        // A cell that begins with a digit is answered without folding: no text may begin with one.
        #expect(!Acuity.belowChartTexts.contains { $0.first?.isNumber ?? true })
        #expect(
            Acuity.isBelowChartText(" <4.0") && Acuity.isBelowChartText("\u{3000}指数") && !Acuity.isBelowChartText("0.1")
        )
    }

    @Test func glassesTypes() {
        #expect(GlassesType(text: "3") == .orthokeratology)
        #expect(GlassesType(text: "OK镜") == .orthokeratology)
        #expect(GlassesType(text: "框架眼镜") == .frame)
        #expect(GlassesType(text: "隐形眼镜") == .softContact)
        #expect(GlassesType(text: "不戴镜") == GlassesType.none)
    }
}
