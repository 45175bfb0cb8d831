import Foundation
import Standards
import Testing

/// The reference tables as the test reads them itself, independently of Standards' loader: the
/// copy in Tests/Fixtures/reference (so that the checks run wherever the package is checked out),
/// compared with ../shared/reference where that sits beside the checkout.
enum Reference {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let sharedFolder = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/reference/fitness")
    static let fixtureFolder = packageRoot.appendingPathComponent("Tests/Fixtures/reference/fitness")
    static let bundledFolder = packageRoot.appendingPathComponent("Sources/Standards/Resources/fitness")
    static let tables = ["items.csv", "bmi.csv", "weights.csv", "bonus.csv"]

    struct Level {
        var item: String
        var grade: String
        var sex: String
        var score: Int
        var threshold: Double
        var lowerBetter: Bool
    }

    /// items.csv rows of the test's own copy of the reference.
    static let levels: [Level] = {
        let text = (try? String(contentsOf: fixtureFolder.appendingPathComponent("items.csv"), encoding: .utf8)) ?? ""
        return text.split(whereSeparator: \.isNewline).dropFirst().map { line in
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return Level(
                item: f[0], grade: f[1], sex: f[2], score: Int(f[3])!, threshold: Double(f[4])!,
                lowerBetter: f[5] == "lower_better")
        }
    }()
}

/// A grade code whose scoring table is `grade` (1…12, uni12, uni34).
func gradeCode(forTable grade: String) -> GradeCode {
    switch grade {
    case "uni12": GradeCode(code: 41)!
    case "uni34": GradeCode(code: 43)!
    default: GradeCode(year: Int(grade)!)!
    }
}

@Suite struct FitnessTableTests {
    let scorer = try! FitnessScorer.bundled()

    /// The tables Jiance scores with are the reference, byte for byte.
    @Test func bundledTablesAreTheReference() throws {
        for name in Reference.tables {
            #expect(
                try Data(contentsOf: Reference.fixtureFolder.appendingPathComponent(name))
                    == Data(contentsOf: Reference.bundledFolder.appendingPathComponent(name)), "\(name) differs")
        }
    }

    /// The test's copy is ../shared/reference itself (checked where ../shared sits beside the
    /// checkout, as on developers' machines and in CI).
    @Test(.enabled(if: FileManager.default.fileExists(atPath: Reference.sharedFolder.path)))
    func fixturesAreTheSharedReference() throws {
        for name in Reference.tables {
            #expect(
                try Data(contentsOf: Reference.sharedFolder.appendingPathComponent(name))
                    == Data(contentsOf: Reference.fixtureFolder.appendingPathComponent(name)), "\(name) differs")
        }
    }

    /// Every level of every (item, grade, sex) table: exactly at the threshold, and one step past
    /// it on the worse side; the expected score is the best level the value reaches (an
    /// independent rule), 0 below the lowest level.
    @Test func everyTableAtEveryThresholdAndJustPast() throws {
        let tables = Dictionary(grouping: Reference.levels) { "\($0.item)|\($0.grade)|\($0.sex)" }
        #expect(tables.count == 156)  // every (item, grade, sex) table of items.csv
        var checked = 0
        for (_, levels) in tables {
            let first = levels[0]
            guard let item = FitnessItem(rawValue: first.item) else {
                Issue.record("unknown item \(first.item)")
                continue
            }
            let sex: Sex = first.sex == "male" ? .male : .female
            let grade = gradeCode(forTable: first.grade)
            let step = [FitnessItem.run50m, .sitAndReach].contains(item) ? 0.1 : 1
            func expected(_ value: Double) -> Int {
                levels.filter { first.lowerBetter ? value <= $0.threshold + 1e-9 : value >= $0.threshold - 1e-9 }.map(
                    \.score
                ).max() ?? 0
            }
            for level in levels {
                for value in [level.threshold, first.lowerBetter ? level.threshold + step : level.threshold - step] {
                    let rounded = (value * 10).rounded() / 10
                    let input = FitnessInput(
                        studentID: "t", grade: grade, sex: sex, heightCm: 150, weightKg: 40, results: [item: rounded])
                    let score = scorer.score(input).item(item)?.score
                    #expect(
                        score == expected(rounded), "\(first.item) grade \(first.grade) \(first.sex) value \(rounded)")
                    checked += 1
                }
            }
        }
        #expect(checked == Reference.levels.count * 2)
    }

    @Test func worseThanTheLowestLevelScoresZero() {
        let input = FitnessInput(
            studentID: "t", grade: GradeCode(year: 1)!, sex: .male, heightCm: 120, weightKg: 22,
            results: [.run50m: 13.7, .vitalCapacity: 499, .sitAndReach: -4.1, .ropeSkip: 1])
        let score = scorer.score(input)
        #expect(score.items.map(\.score) == [0, 0, 0, 0])
        #expect(score.rating == .fail)
        #expect(score.standardHundredths == 100 * 15)  // only BMI scores
    }

    /// 引体向上 has no 78/74/70/66/62 levels, and 初一 no 20/10 levels: such results take the next
    /// lower level that exists.
    @Test func pullUpBlankLevels() {
        func pullUp(_ count: Double, year: Int) -> Int? {
            scorer.score(
                FitnessInput(
                    studentID: "t", grade: GradeCode(year: year)!, sex: .male, heightCm: 160, weightKg: 50,
                    results: [.pullUp: count])
            ).item(.pullUp)?.score
        }
        #expect(pullUp(9, year: 7) == 80)
        #expect(pullUp(8, year: 7) == 76)  // no 78 level
        #expect(pullUp(4, year: 7) == 60)
        #expect(pullUp(1, year: 7) == 30)
        #expect(pullUp(0, year: 7) == 0)  // no 20/10 level in 初一
        let grade8Levels = Reference.levels.filter { $0.item == "pull_up" && $0.grade == "8" }.map(\.score)
        #expect(!grade8Levels.contains(10) && grade8Levels.contains(20))
        #expect(!Reference.levels.contains { $0.item == "pull_up" && [78, 74, 70, 66, 62].contains($0.score) })
    }
}

@Suite struct FitnessResultsTests {
    /// Every item has its own slot: set one by one, each reads back and the others stay as they were.
    @Test func everyItemHasASlot() {
        var results = FitnessResults()
        #expect(results.isEmpty)
        let items = FitnessItem.allCases
        for (index, item) in items.enumerated() {
            results[item] = Double(index) + 0.5
            for (other, otherItem) in items.enumerated() {
                #expect(results[otherItem] == (other <= index ? Double(other) + 0.5 : nil))
            }
        }
        results[.run50m] = nil
        #expect(results[.run50m] == nil && !results.isEmpty)
        #expect(results != FitnessResults() && [FitnessItem.pullUp: 9] as FitnessResults == [.pullUp: 9])
        #expect(Set([[FitnessItem.pullUp: 9] as FitnessResults, [.pullUp: 9], [.pullUp: 10]]).count == 2)
    }

    /// A table is walked in the standard's order (allCases), whatever order the items were set
    /// in, and gives each item back with its own value; every slot maps back to its case.
    @Test func walkedInTheStandardsOrder() {
        var scores = FitnessItemScores()
        #expect(Array(scores).isEmpty)
        for (index, item) in FitnessItem.allCases.enumerated().reversed() where index % 3 != 1 {
            scores[item] = index * 10
        }
        let expected = FitnessItem.allCases.enumerated().filter { $0.offset % 3 != 1 }
        #expect(scores.map(\.item) == expected.map(\.element))
        #expect(scores.map(\.value) == expected.map { $0.offset * 10 })
        for (index, item) in FitnessItem.allCases.enumerated() {
            var one = FitnessItemScores()
            one[item] = 1
            #expect(one.map(\.item) == [item], "slot \(index)")
        }
        #expect([FitnessItem.run800m: 2.5, .bmi: 1] as FitnessResults == [.bmi: 1, .run800m: 2.5])
        #expect(([FitnessItem.run800m: 2.5, .bmi: 1] as FitnessResults).description == "[bmi: 1.0, run_800m: 2.5]")
    }
}

@Suite struct FitnessScoreTests {
    let scorer = try! FitnessScorer.bundled()

    /// BMI 18.15 rounds half-up to 18.2: 超重 for a grade-1 boy (正常 ends at 18.1).
    @Test func bmiRoundsHalfUpExactly() {
        #expect(FitnessScorer.bmiTenths(heightCm: 100, weightKg: 18.15) == 182)
        #expect(FitnessScorer.bmiTenths(heightCm: 100, weightKg: 18.14) == 181)
        #expect(FitnessScorer.bmiTenths(heightCm: 140, weightKg: 45) == 230)  // 22.959…
        func category(_ weight: Double) -> BMICategory? {
            scorer.score(
                FitnessInput(
                    studentID: "t", grade: GradeCode(year: 1)!, sex: .male, heightCm: 100, weightKg: weight,
                    results: [:])
            ).bmi?.category
        }
        #expect(category(18.15) == .overweight)
        #expect(category(18.14) == .normal)
    }

    /// Every category boundary of bmi.csv, at the bound and 0.1 past it (height 100 cm makes BMI = weight).
    @Test func everyBMIBoundary() throws {
        let text = try String(contentsOf: Reference.fixtureFolder.appendingPathComponent("bmi.csv"), encoding: .utf8)
        var checked = 0
        for line in text.split(whereSeparator: \.isNewline).dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let grade = gradeCode(forTable: f[0])
            let sex: Sex = f[1] == "male" ? .male : .female
            for (bound, outside) in [(Double(f[4]), -0.1), (Double(f[5]), 0.1)] {
                guard let bound else { continue }
                let at = scorer.score(
                    FitnessInput(studentID: "t", grade: grade, sex: sex, heightCm: 100, weightKg: bound, results: [:])
                ).bmi
                #expect(at?.category.rawValue == f[2], "\(line) at \(bound)")
                #expect(at?.score == Int(f[3]))
                let past = scorer.score(
                    FitnessInput(
                        studentID: "t", grade: grade, sex: sex, heightCm: 100, weightKg: bound + outside, results: [:])
                ).bmi
                #expect(past?.category.rawValue != f[2], "\(line) past \(bound)")
                checked += 1
            }
        }
        #expect(checked > 100)
    }

    /// 1分钟跳绳 bonus for a grade-1 boy (100 points at 109): 1 point per 2 skips, at most 20.
    @Test(arguments: [
        (109.0, 0), (110.0, 0), (111.0, 1), (112.0, 1), (113.0, 2), (148.0, 19), (149.0, 20), (150.0, 20), (209.0, 20),
    ])
    func ropeSkipBonus(skips: Double, bonus: Int) {
        let score = scorer.score(
            FitnessInput(
                studentID: "t", grade: GradeCode(year: 1)!, sex: .male, heightCm: 120, weightKg: 22,
                results: [.ropeSkip: skips]))
        #expect(score.item(.ropeSkip)?.bonus == bonus)
        #expect(score.item(.ropeSkip)?.score == 100 || skips < 109)
    }

    /// Junior bonuses: 1000 m (100 points at 3′55″ = 235 s in 初一) 1 point per 4 s faster;
    /// 引体向上 1 point per rep beyond 13.
    @Test func juniorBonuses() {
        func bonus(_ results: FitnessResults, _ sex: Sex = .male) -> Int {
            scorer.score(
                FitnessInput(
                    studentID: "t", grade: GradeCode(year: 7)!, sex: sex, heightCm: 160, weightKg: 50, results: results)
            ).bonus
        }
        #expect(bonus([.run1000m: 235]) == 0)
        #expect(bonus([.run1000m: 232]) == 0)
        #expect(bonus([.run1000m: 231]) == 1)
        #expect(bonus([.run1000m: 200]) == 10)  // 35 s faster: the last step
        #expect(bonus([.pullUp: 14]) == 1)
        #expect(bonus([.pullUp: 30]) == 10)
        #expect(bonus([.pullUp: 30, .run1000m: 150]) == 20)
    }

    /// Grade 1 boy, by hand: BMI 22/1.2² = 15.3 正常 100; 肺活量 1250 → 78; 50 m 10.9 → 76;
    /// 坐位体前屈 12.5 → 85; 跳绳 115 → 100 (+3: 6 beyond 109).
    /// 标准分 = 100×15% + 78×15% + 76×20% + 85×30% + 100×20% = 87.40; 总分 90.40 优秀.
    @Test func gradeOneBoyByHand() {
        let score = scorer.score(
            FitnessInput(
                studentID: "a", grade: GradeCode(code: 11)!, sex: .male, heightCm: 120, weightKg: 22,
                results: [.vitalCapacity: 1250, .run50m: 10.9, .sitAndReach: 12.5, .ropeSkip: 115]))
        #expect(score.status == .scored)
        #expect(score.bmi == BMIScore(tenths: 153, category: .normal, score: 100))
        #expect(score.items.map(\.score) == [78, 76, 85, 100])
        #expect(score.standardHundredths == 8740)
        #expect(score.bonus == 3)
        #expect(score.totalHundredths == 9040)
        #expect(score.rating == .excellent)
        #expect(score.findings.isEmpty)
    }

    /// Grade 3 boy: BMI 35/1.3² = 20.7 超重 80; 肺活量 1000 → 62; 50 m 10.0 → 74; 坐位体前屈 5.0 → 70;
    /// 跳绳 100 → 78; 仰卧起坐 30 → 74. 标准分 = 12.00 + 9.30 + 14.80 + 14.00 + 15.60 + 7.40 = 73.10, 及格.
    @Test func gradeThreeBoyByHand() {
        let score = scorer.score(
            FitnessInput(
                studentID: "b", grade: GradeCode(code: 13)!, sex: .male, heightCm: 130, weightKg: 35,
                results: [.vitalCapacity: 1000, .run50m: 10.0, .sitAndReach: 5.0, .ropeSkip: 100, .sitUp: 30]))
        #expect(score.bmi?.category == .overweight)
        #expect(score.standardHundredths == 7310 && score.totalHundredths == 7310)
        #expect(score.rating == .pass)
    }

    /// Grade 5 girl: BMI 23.0 肥胖 60; 肺活量 1100 → 60; 50 m 11.4 → 40; 坐位体前屈 1.0 → 40;
    /// 跳绳 50 → 30; 仰卧起坐 15 → 40; 50米×8 2′10″ = 130 s → 68.
    /// 标准分 = 9 + 9 + 8 + 4 + 3 + 8 + 6.8 = 47.80, 不及格.
    @Test func gradeFiveGirlByHand() {
        let score = scorer.score(
            FitnessInput(
                studentID: "c", grade: GradeCode(code: 15)!, sex: .female, heightCm: 140, weightKg: 45,
                results: [
                    .vitalCapacity: 1100, .run50m: 11.4, .sitAndReach: 1.0, .ropeSkip: 50, .sitUp: 15,
                    .shuttle50x8: 130,
                ]))
        #expect(score.bmi?.category == .obese)
        #expect(score.item(.shuttle50x8)?.score == 68)
        #expect(score.standardHundredths == 4780)
        #expect(score.rating == .fail)
    }

    /// 初二 girl: BMI 19.5 正常 100; 肺活量 2450 → 78; 50 m 9.1 → 76; 坐位体前屈 16.0 → 80;
    /// 立定跳远 170 → 76; 仰卧起坐 45 → 85; 800 m 3′58″ = 238 s → 80.
    /// 标准分 = 15 + 11.7 + 15.2 + 8 + 7.6 + 8.5 + 16 = 82.00, 良好.
    @Test func gradeEightGirlByHand() {
        let score = scorer.score(
            FitnessInput(
                studentID: "d", grade: GradeCode(code: 22)!, sex: .female, heightCm: 160, weightKg: 50,
                results: [
                    .vitalCapacity: 2450, .run50m: 9.1, .sitAndReach: 16.0, .standingLongJump: 170, .sitUp: 45,
                    .run800m: 238,
                ]))
        #expect(
            score.items.map(\.item) == [.vitalCapacity, .run50m, .sitAndReach, .sitUp, .standingLongJump, .run800m])
        #expect(score.standardHundredths == 8200 && score.bonus == 0)
        #expect(score.rating == .good)
    }

    /// The reference is verified everywhere (../shared/reference/fitness/README.md): a verified
    /// table draws no remark on any result, and the loader refuses a row that is not verified.
    @Test func verifiedTablesGiveNoRemark() {
        let score = scorer.score(
            FitnessInput(
                studentID: "e", grade: GradeCode(code: 21)!, sex: .male, heightCm: 160, weightKg: 50,
                results: [
                    .vitalCapacity: 3000, .run50m: 8.0, .sitAndReach: 10, .standingLongJump: 200, .pullUp: 20,
                    .run1000m: 200,
                ]))
        #expect(score.status == .scored)
        #expect(score.findings.isEmpty)
    }

    @Test func missingItemMakesTheStudentIncompleteNeverZero() {
        let score = scorer.score(
            FitnessInput(
                studentID: "f", grade: GradeCode(code: 11)!, sex: .male, heightCm: 120, weightKg: nil,
                results: [.vitalCapacity: 1250, .run50m: 10.9, .ropeSkip: 115]))
        #expect(score.status == .incomplete)
        #expect(score.missing == [.bmi, .sitAndReach])
        #expect(score.totalHundredths == nil && score.rating == nil)
        #expect(score.findings.contains { $0.message.contains("坐位体前屈") })
    }

    @Test func exemptStudentIsNotScored() {
        let score = scorer.score(
            FitnessInput(
                studentID: "g", grade: GradeCode(code: 11)!, sex: .female, heightCm: nil, weightKg: nil, results: [:],
                exempt: true))
        #expect(score.status == .exempt && score.rating == nil && score.items.isEmpty)
    }

    @Test(arguments: [
        (9000, FitnessRating.excellent), (8999, .good), (8000, .good), (7999, .pass), (7995, .pass), (6000, .pass),
        (5999, .fail), (0, .fail), (12000, .excellent),
    ])
    func ratingBoundaries(total: Int, rating: FitnessRating) {
        #expect(FitnessScorer.rating(totalHundredths: total) == rating)
    }
}
