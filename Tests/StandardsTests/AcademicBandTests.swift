import Standards
import Testing

/// Band schemes of ../shared/reference/academic/RULES.md §1.
@Suite struct AcademicBandTests {
    func level(_ score: Double, full: Double, scheme: BandScheme = .standard) -> AcademicLevel {
        scheme.band(sumTenths: Int64((score * 10).rounded()), sumFullTenths: Int64((full * 10).rounded()), count: 1)
            .level
    }

    @Test func defaultSchemeBoundariesOnAPaperOf120() {
        #expect(level(120, full: 120) == .four)
        #expect(level(102, full: 120) == .four)  // exactly 85 %
        #expect(level(101.9, full: 120) == .three)
        #expect(level(90, full: 120) == .three)  // exactly 75 %
        #expect(level(89.9, full: 120) == .two)
        #expect(level(72, full: 120) == .two)  // exactly 60 %
        #expect(level(71.9, full: 120) == .one)
        #expect(level(0, full: 120) == .one)
    }

    @Test func boundariesAreExactWhereTheCutIsNotATenth() {
        // 85 % of 105 is 89.25: 89.3 reaches it, 89.2 does not (no rounding before comparing).
        #expect(level(89.3, full: 105) == .four)
        #expect(level(89.2, full: 105) == .three)
    }

    @Test func presets() throws {
        let five = try #require(BandScheme.preset("90/80/70/60"))
        #expect(five.bands.count == 5)
        #expect(level(75, full: 100, scheme: five) == .two)  // 中等
        #expect(level(65, full: 100, scheme: five) == .two)  // 及格 counts as Ⅱ
        #expect(level(59.9, full: 100, scheme: five) == .one)
        #expect(level(80, full: 100, scheme: five) == .three)
        let seventy = try #require(BandScheme.preset("85/70/60"))
        #expect(level(70, full: 100, scheme: seventy) == .three)
        #expect(level(69.9, full: 100, scheme: seventy) == .two)
        let lower = try #require(BandScheme.preset("90/80/60"))
        #expect(level(85, full: 100, scheme: lower) == .three)
        #expect(level(90, full: 100, scheme: lower) == .four)
        #expect(BandScheme.preset("80/70") == nil)
        #expect(BandScheme.standard.description.contains("85/75/60"))
    }

    @Test func levelOfTheMeanNotOfAShare() {
        // Three students at 60 %, 95 %, 70 %: 1 of 3 at Ⅲ or above, but the mean 75 % is Ⅲ.
        let scheme = BandScheme.standard
        let band = scheme.band(sumTenths: 600 + 950 + 700, sumFullTenths: 3000, count: 3)
        #expect(band.level == .three)
        let below = scheme.band(sumTenths: 600 + 950 + 699, sumFullTenths: 3000, count: 3)
        #expect(below.level == .two)
    }

    @Test func standardisedScale() {
        let scheme = BandScheme.standardised(mean: 500, sd: 100, cuts: [600, 500, 400])
        let reference = (mean: 70.0, sd: 10.0)
        func level(_ score: Double) -> AcademicLevel {
            scheme.band(sumTenths: Int64(score * 10), sumFullTenths: 1000, count: 1, reference: reference).level
        }
        #expect(level(80) == .four)  // 600
        #expect(level(79.9) == .three)
        #expect(level(70) == .three)  // 500
        #expect(level(60) == .two)  // 400
        #expect(level(59.9) == .one)
        #expect(scheme.description.contains("标准分"))
    }

    @Test func levelsFromReportText() {
        #expect(AcademicLevel(text: "Ⅲ") == .three)
        #expect(AcademicLevel(text: "水平Ⅳ") == .four)
        #expect(AcademicLevel(text: "III") == .three)
        #expect(AcademicLevel(text: "2") == .two)
        #expect(AcademicLevel(text: "待提高") == .one)
        #expect(AcademicLevel(text: "Ⅲ级") == .three)
        #expect(AcademicLevel(text: "五") == nil)
        #expect(AcademicLevel.three.label == "水平Ⅲ")
    }

    @Test func subjectsFromHeaders() {
        #expect(Subject.named("语文成绩") == "语文")
        #expect(Subject.named("数学（满分120）") == "数学")
        #expect(Subject.fullMark(inHeader: "数学（满分120）") == 120)
        #expect(Subject.fullMark(inHeader: "英语(150)") == 150)
        #expect(Subject.fullMark(inHeader: "英语") == nil)
        #expect(Subject.named("思想品德") == "道德与法治")
        #expect(Subject.named("总分") == nil)
        #expect(Subject.named("班级排名") == nil)
    }
}
