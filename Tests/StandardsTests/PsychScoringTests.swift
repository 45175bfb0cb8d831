import Standards
import Testing

@Suite struct PsychScoringTests {
    let scorer = PsychScorer()

    func score(
        _ id: String, _ answers: [Int: Int], supplementary: [String: Bool] = [:],
        settings: PsychSettings = PsychSettings()
    ) throws -> PsychResult {
        PsychScorer(settings: settings).score(
            PsychAnswers(studentID: "t", scale: id, answers: answers, supplementary: supplementary),
            scale: try PsychScale.named(id))
    }

    /// All items answered `value`, then the overrides.
    func sheet(_ count: Int, _ value: Int, _ overrides: [Int: Int] = [:]) -> [Int: Int] {
        var answers = Dictionary(uniqueKeysWithValues: (1...count).map { ($0, value) })
        for (item, answer) in overrides { answers[item] = answer }
        return answers
    }

    @Test func phq9ItemNineWithTotalThreeIsRed() throws {
        let result = try score("phq9", sheet(9, 0, [1: 1, 2: 1, 9: 1]))
        #expect(result.total == 3 && result.band == "无/极轻")
        #expect(result.riskLevel == .red)
        #expect(result.criticalItems == ["第9题=1（好几天）"])
    }

    @Test(arguments: [
        (4, RiskLevel?.none, "无/极轻"), (5, .watch, "轻度"), (9, .watch, "轻度"), (10, .yellow, "中度"), (19, .yellow, "中重度"),
        (20, .orange, "重度"), (27, .orange, "重度"),
    ])
    func phq9Boundaries(total: Int, level: RiskLevel?, band: String) throws {
        // Spread the total over items 1–8 (item 9 stays 0).
        var answers = sheet(9, 0)
        var left = total
        for item in 1...8 where left > 0 {
            answers[item] = min(3, left)
            left -= min(3, left)
        }
        if left > 0 { answers[9] = left }  // 27 needs item 9
        let result = try score("phq9", answers)
        #expect(result.total == total && result.band == band)
        #expect(result.riskLevel == (answers[9]! > 0 ? .red : level))
    }

    @Test func phqaSupplementaryAndOrder() throws {
        let scale = try PsychScale.named("PHQ-A")
        #expect(scale.id == "phq_a" && scale.itemCount == 9)
        #expect(try score("phq_a", sheet(9, 1, [9: 0])).riskLevel == .watch)  // total 8
        #expect(
            try score("phq_a", sheet(9, 0), supplementary: ["past_month_serious_suicidal_thoughts": true]).riskLevel
                == .red)
        #expect(try score("phq_a", sheet(9, 0, [9: 2])).criticalItems == ["第9题=2（一半以上的天数）"])
        // PHQ-A items 1↔2 and 4↔5 ask PHQ-9 items 2↔1 and 5↔4; the others the same.
        #expect(scale.phq9Item == [1: 2, 2: 1, 3: 3, 4: 5, 5: 4, 6: 6, 7: 7, 8: 8, 9: 9])
    }

    @Test func gad7() throws {
        #expect(try score("gad7", sheet(7, 2)).total == 14)
        #expect(try score("gad7", sheet(7, 2)).riskLevel == .yellow)
        #expect(try score("gad7", sheet(7, 2, [1: 3])).riskLevel == .orange)
        #expect(try score("gad7", sheet(7, 0)).riskLevel == nil)
    }

    @Test func mhtLieScaleVoidsAndScalesGrade() throws {
        let scale = try PsychScale.named("mht")
        let lie = scale.validityItems
        #expect(lie == [82, 84, 86, 88, 90, 92, 94, 96, 98, 100])
        var answers = sheet(100, 0)
        for item in lie.prefix(7) { answers[item] = 1 }
        let void = try score("mht", answers)
        #expect(!void.valid && void.riskLevel == nil)
        answers[lie[6]] = 0  // lie 6: valid
        for item in 1...8 { answers[item] = 1 }  // 学习焦虑 8 → 黄
        let graded = try score("mht", answers)
        #expect(graded.valid && graded.total == 8 && graded.riskLevel == .yellow)
        #expect(graded.subscales.first { $0.id == "learning_anxiety" }?.value == 8)
        // Total ≥ 65 → 橙; item 85 = 是 → 红 even on a void sheet.
        var high = sheet(100, 1)
        for item in lie { high[item] = 0 }
        #expect(try score("mht", high).total == 90 && (try score("mht", high).riskLevel) == .red)  // 85 and 97 are 是
        high[85] = 0
        high[97] = 0
        #expect(try score("mht", high).riskLevel == .orange)
        var voidCrisis = sheet(100, 0, [85: 1])
        for item in lie { voidCrisis[item] = 1 }
        #expect(try score("mht", voidCrisis).riskLevel == .red)
        #expect(scale.value(of: "是") == 1 && scale.value(of: "否") == 0)
    }

    /// Answers as platforms write them: padded, as decimals, or out of the options' range (an
    /// exponent too large for an integer used to stop the import).
    @Test func answerValuesAreReadWithinTheOptions() throws {
        let phq9 = try PsychScale.named("phq9")
        #expect(phq9.value(of: " 2\t") == 2 && phq9.value(of: "3.0") == 3 && phq9.value(of: "0") == 0)
        #expect(phq9.value(of: "好几天") == 1)
        for outside in ["4", "-1", "2.5", "1e300", "-1e300", "", "是"] { #expect(phq9.value(of: outside) == nil) }
    }

    @Test func scl90FactorsAndScreenPositive() throws {
        let none = try score("scl90", sheet(90, 1))
        #expect(none.total == 90 && none.riskLevel == nil)
        // 躯体化 (12 items) all 2: factor mean exactly 2.00 → positive → 黄.
        let scale = try PsychScale.named("scl90")
        let somatization = try #require(scale.subscales.first { $0.id == "somatization" })
        var answers = sheet(90, 1)
        for item in somatization.items { answers[item] = 2 }
        let positive = try score("scl90", answers)
        #expect(positive.subscales.first { $0.id == "somatization" }?.value == 2)
        #expect(positive.riskLevel == .yellow)
        for item in somatization.items { answers[item] = 3 }
        #expect(try score("scl90", answers).riskLevel == .orange)
        #expect(try score("scl90", sheet(90, 1, [15: 2])).riskLevel == .red)
        #expect(try score("scl90", sheet(90, 1, [1: 5, 2: 5, 3: 5])).total == 102)
    }

    /// The SCL-90 screen rules of scl90.json (total > 160, positive items > 43, factor mean ≥ 2,
    /// OR-combined → 黄, RULES.md), each on both sides, with the other two rules kept negative.
    @Test func scl90ScreenRulesOnBothSidesOfEachBoundary() throws {
        // 35 items at 3, fewer than half of every factor (all factor means < 2), none critical
        // (15, 59, 63): total 90 + 70 = 160, 35 positive items.
        let threes = [
            1, 4, 12, 27, 40,  // 躯体化
            3, 9, 10, 28,  // 强迫
            6, 21, 34, 36,  // 人际
            5, 14, 20, 22, 26, 29,  // 抑郁
            2, 17, 23, 33,  // 焦虑
            11, 24,  // 敌对
            13, 25, 47,  // 恐怖
            8, 18,  // 偏执
            7, 16, 35, 62,  // 精神病性
            19,  // 其他
        ]
        #expect(threes.count == 35)
        let at160 = sheet(90, 1, Dictionary(uniqueKeysWithValues: threes.map { ($0, 3) }))
        let below = try score("scl90", at160)
        #expect(below.total == 160 && below.riskLevel == nil)
        var at161 = at160
        at161[44] = 2
        let above = try score("scl90", at161)
        #expect(above.total == 161 && above.riskLevel == .yellow)
        // 43 items at 2 (1–44 but the critical 15): no factor complete, total 133 → negative; 44 → positive.
        let twos = Array(1...44).filter { $0 != 15 }
        #expect(
            try score("scl90", sheet(90, 1, Dictionary(uniqueKeysWithValues: twos.map { ($0, 2) }))).riskLevel == nil)
        #expect(
            try score("scl90", sheet(90, 1, Dictionary(uniqueKeysWithValues: (twos + [45]).map { ($0, 2) }))).riskLevel
                == .yellow)
    }

    /// SDQ self-report: reverse items (7, 11, 14, 21, 25 → 2 − raw), prorating, China norms.
    @Test func sdqReverseProrateAndBands() throws {
        var answers = sheet(25, 0)
        for item in [7, 11, 14, 21, 25] { answers[item] = 2 }  // reversed to 0
        let zero = try score("sdq", answers)
        #expect(zero.total == 0 && zero.band == "正常")
        // Emotional (3, 8, 13, 16, 24) with two missing and answers 2, 2, 0 → round(4/3 × 5) = 7.
        var partial = answers
        partial[3] = 2
        partial[8] = 2
        partial[13] = 0
        partial[16] = nil
        partial[24] = nil
        let prorated = try score("sdq", partial)
        #expect(prorated.complete)
        #expect(prorated.subscales.first { $0.id == "emotional" }?.value == 7)
        // Total 17 borderline (观察), 18 abnormal (橙) for the self-report norms.
        var borderline = answers
        for item in [3, 8, 13, 16, 24, 5, 12, 18] { borderline[item] = 2 }  // emotional 10 + conduct 6
        borderline[2] = 1  // hyperactivity 1
        #expect(try score("sdq", borderline).total == 17 && (try score("sdq", borderline).riskLevel) == .watch)
        borderline[10] = 1
        #expect(try score("sdq", borderline).total == 18 && (try score("sdq", borderline).riskLevel) == .orange)
    }

    @Test func dsrscScaredCesd() throws {
        // DSRSC: reverse items (2 − raw). All answered 0 → reversed items give 2 each: 10 × 2 = 20.
        #expect(try score("dsrsc", sheet(18, 0)).total == 20)
        #expect(try score("dsrsc", sheet(18, 0)).riskLevel == .yellow)
        var fifteen = sheet(18, 2)  // reversed items 2 → 0
        for item in [3, 6, 14, 15, 17, 18] { fifteen[item] = 2 }  // 12
        fifteen[5] = 1
        fifteen[10] = 1
        fifteen[1] = 1  // 15 (item 1 reversed: 2 − 1)
        #expect(try score("dsrsc", fifteen).total == 15 && (try score("dsrsc", fifteen).riskLevel) == .yellow)
        fifteen[3] = 1
        #expect(try score("dsrsc", fifteen).riskLevel == .watch)  // 14 ≥ 13
        fifteen[10] = 2  // critical item 10 (经常有): elevated → 橙
        #expect(try score("dsrsc", fifteen).riskLevel == .orange)
        // SCARED ≥ 23 (Chinese urban norm, scared.json; 黄 by RULES.md): 22 → none, 23 → 黄.
        let twentyTwo = try score("scared", sheet(41, 0, Dictionary(uniqueKeysWithValues: (1...11).map { ($0, 2) })))
        #expect(twentyTwo.total == 22 && twentyTwo.riskLevel == nil)
        let twentyThree = try score(
            "scared", sheet(41, 0, Dictionary(uniqueKeysWithValues: (1...11).map { ($0, 2) }).merging([12: 1]) { $1 }))
        #expect(twentyThree.total == 23 && twentyThree.riskLevel == .yellow)
        // CES-D: items 4, 8, 12, 16 reversed as 3 − raw; all 0 → 12.
        #expect(try score("cesd", sheet(20, 0)).total == 12)
        #expect(try score("cesd", sheet(20, 0, [1: 3, 2: 1])).riskLevel == .watch)  // 16
        #expect(try score("cesd", sheet(20, 0, [1: 3, 2: 3, 3: 2])).riskLevel == .yellow)  // 20
    }

    @Test func missingAnswersAreNotGradedButCriticalItemsStill() throws {
        var answers = sheet(9, 3)
        answers[4] = nil
        let incomplete = try score("phq9", answers)
        #expect(!incomplete.complete && incomplete.total == nil)
        #expect(incomplete.riskLevel == .red)  // item 9 = 3 answered
        answers[9] = 0
        #expect(try score("phq9", answers).riskLevel == nil)
    }

    @Test func totalsOnlyLeaveCriticalItemsUnknown() throws {
        let result = PsychScorer().score(
            PsychAnswers(studentID: "t", scale: "phq9", answers: [:], totalOnly: 12),
            scale: try PsychScale.named("phq9"))
        #expect(result.total == 12 && result.riskLevel == .yellow && !result.criticalItemsKnown)
        #expect(result.findings.contains { $0.message.contains("关键条目") })
    }

    @Test func settingsChangeCutoffs() throws {
        var settings = PsychSettings()
        settings.totalCutoffs["phq9"] = [.orange: 15, .yellow: 8]
        #expect(try score("phq9", sheet(9, 1, [9: 0]), settings: settings).riskLevel == .yellow)  // 8
        #expect(settings.description.contains("phq9 橙≥15/黄≥8"))
    }
}
