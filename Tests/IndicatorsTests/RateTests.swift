import Indicators
import Testing

@Suite struct RateTests {
    @Test func exactThresholds() {
        #expect(Rate(55, of: 100).meets(atLeast: 0.55) == true)
        #expect(Rate(549, of: 1000).meets(atLeast: 0.55) == false)
        #expect(Rate(98, of: 100).meets(atLeast: 0.98) == true)
        #expect(Rate(97, of: 99).meets(atLeast: 0.98) == false)  // 97.98 %
        #expect(Rate(0, of: 0).meets(atLeast: 0.55) == nil)
    }

    @Test func percentTextRoundsHalfUpOnTheFraction() {
        #expect(Rate(1, of: 3).percentText == "33.3%")
        #expect(Rate(2, of: 3).percentText == "66.7%")
        #expect(Rate(5555, of: 10000).percentText == "55.6%")
        #expect(Rate(1, of: 1).percentText == "100.0%")
        #expect(Rate(0, of: 0).percentText == "—")
    }

    @Test func ratesAddByCounts() {
        let sum = Rate(1, of: 2) + Rate(3, of: 8)
        #expect(sum == Rate(4, of: 10))
        #expect(sum.value == 0.4)
    }
}
