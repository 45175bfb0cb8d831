import Indicators
import Standards
import Testing

@Suite struct TrendSeriesTests {
    let t2023 = Term("2023-2024-1")!, t2024 = Term("2024-2025-1")!, spring = Term("2024-2025-2")!,
        t2025 = Term("2025-2026-1")!
    let targets = TrendTargets()

    @Test func fitnessRisingTowardsTheTargetByHand() throws {
        // 优良率 50.0 %, 54.0 %, then 53.0 %: rising meets, falling below 55 % does not.
        let series = TrendSeries(
            indicator: .goodOrBetter,
            values: [
                t2023: TrendValue(rate: Rate(50, of: 100)), t2024: TrendValue(rate: Rate(54, of: 100)),
                t2025: TrendValue(rate: Rate(53, of: 100)),
            ])
        let rising = try #require(series.change(at: t2024, targets: targets))
        #expect(rising.previous == t2023 && abs(rising.delta - 4) < 1e-9 && rising.meets == true)
        let falling = try #require(series.change(at: t2025, targets: targets))
        #expect(falling.previous == t2024 && abs(falling.delta + 1) < 1e-9 && falling.meets == false)
        #expect(series.change(at: t2023, targets: targets) == nil)
        #expect(series.meets(at: t2023, targets: targets) == false)  // below, nothing to rise from
        #expect(abs((series.gap(at: t2025, targets: targets) ?? 0) - 2) < 1e-9)  // 2 points short of 55 %
        #expect(series.verdict(at: t2024, targets: targets) == .rising)  // meets by rising, not reached
        #expect(series.verdict(at: t2025, targets: targets) == .missed)
    }

    /// Every indicator a school is held to has a gap when short of its target, so that the list
    /// of schools to watch names it: the two 建档率 (target 100 %) among them.
    @Test func everySchoolTargetHasAGapWhenShort() {
        for indicator in TrendIndicator.schoolTargets where indicator != .myopia {
            let series = TrendSeries(indicator: indicator, values: [t2025: TrendValue(rate: Rate(40, of: 100))])
            #expect((series.gap(at: t2025, targets: targets) ?? 0) > 0, "\(indicator)")
        }
        let records = TrendSeries(indicator: .healthRecords, values: [t2025: TrendValue(rate: Rate(997, of: 1000))])
        #expect(abs((records.gap(at: t2025, targets: targets) ?? 0) - 0.3) < 1e-9)
    }

    @Test func reachingTheTargetExactlyMeetsEvenWhenFalling() {
        let series = TrendSeries(
            indicator: .goodOrBetter,
            values: [t2024: TrendValue(rate: Rate(60, of: 100)), t2025: TrendValue(rate: Rate(11, of: 20))])
        #expect(series.change(at: t2025, targets: targets)?.meets == true)  // 55.0 % exactly, though it fell
        #expect(series.verdict(at: t2025, targets: targets) == .met)
        let below = TrendSeries(
            indicator: .goodOrBetter,
            values: [t2024: TrendValue(rate: Rate(60, of: 100)), t2025: TrendValue(rate: Rate(549, of: 1000))])
        #expect(below.change(at: t2025, targets: targets)?.meets == false)
    }

    @Test func visionIsComparedSeasonToSeason() throws {
        // 40.0 % → (spring 10 %) → 39.5 %: the autumn is compared with last autumn, not the spring.
        let series = TrendSeries(
            indicator: .myopia,
            values: [
                t2024: TrendValue(rate: Rate(400, of: 1000)), spring: TrendValue(rate: Rate(100, of: 1000)),
                t2025: TrendValue(rate: Rate(395, of: 1000)),
            ])
        let change = try #require(series.change(at: t2025, targets: targets))
        #expect(change.previous == t2024)
        #expect(abs(change.delta + 0.5) < 1e-9)
        #expect(change.meets == true)  // exactly 0.5 pp
        #expect(series.change(at: spring, targets: targets) == nil)  // no spring last year
        let short = TrendSeries(
            indicator: .myopia,
            values: [t2024: TrendValue(rate: Rate(400, of: 1000)), t2025: TrendValue(rate: Rate(396, of: 1000))])
        #expect(short.change(at: t2025, targets: targets)?.meets == false)  // 0.4 pp
        #expect(abs((short.gap(at: t2025, targets: targets) ?? 0) - 0.1) < 1e-9)
    }

    @Test func targetPaths() throws {
        let myopia = TrendSeries(
            indicator: .myopia,
            values: [t2023: TrendValue(rate: Rate(40, of: 100)), t2025: TrendValue(rate: Rate(39, of: 100))])
        let path = try #require(myopia.targetPath(terms: [t2023, t2024, spring, t2025], targets: targets))
        #expect(abs(path[t2024]! - 0.395) < 1e-12 && abs(path[t2025]! - 0.39) < 1e-12)
        #expect(path[spring] == nil)
        let good = TrendSeries(indicator: .goodOrBetter, values: [t2025: TrendValue(rate: Rate(1, of: 2))])
        #expect(good.targetPath(terms: [t2024, t2025], targets: targets) == [t2024: 0.55, t2025: 0.55])
        #expect(TrendSeries(indicator: .excellent).targetPath(terms: [t2025], targets: targets) == nil)
    }

    @Test func levelTargets() {
        let difference = TrendSeries(
            indicator: .academicDifference, values: [t2024: TrendValue(0.15), t2025: TrendValue(0.149)])
        #expect(difference.meets(at: t2024, targets: targets) == false)  // 低于 0.15
        #expect(difference.meets(at: t2025, targets: targets) == true)
        let cv = TrendSeries(indicator: .resourceCVJunior, values: [t2025: TrendValue(0.45)])
        #expect(cv.meets(at: t2025, targets: targets) == true)  // ≤ 0.45
        let records = TrendSeries(
            indicator: .visionRecords,
            values: [t2024: TrendValue(rate: Rate(99, of: 100)), t2025: TrendValue(rate: Rate(100, of: 100))])
        #expect(
            records.meets(at: t2024, targets: targets) == false && records.meets(at: t2025, targets: targets) == true)
        #expect(
            TrendSeries(indicator: .psychRed, values: [t2025: TrendValue(3)]).meets(at: t2025, targets: targets) == nil)
    }
}
