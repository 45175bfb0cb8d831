import Foundation
import Ingest
import Samples
import Standards
import TestSupport
import Testing

@Suite struct FitnessValuesTests {
    @Test(arguments: [
        ("3′45″", 225.0), ("3'45\"", 225.0), ("3’45”", 225.0), ("3′45", 225.0), ("3:45", 225.0), ("3.45", 225.0),
        ("3.5", 230.0),
        ("225", 225.0), ("00:03:45", 225.0), ("03:45:00", 225.0), ("1′05″", 65.0), ("３′４５″", 225.0), ("3分45秒", 225.0),
        ("3''45", 225.0),
        ("12′05″", 725.0), (" 3′45″ ", 225.0), ("3:45\"", 225.0), ("0′59″", 59.0),
    ])
    func timesInEveryForm(text: String, seconds: Double) {
        #expect(FitnessValues.parse(text, item: .run1000m) == .value(seconds))
    }

    @Test(arguments: ["3′5″", "3′75″", "3.75", "abc", "3′45′45″", "3′45″x", "3′60″"])
    func badTimes(text: String) {
        guard case .invalid = FitnessValues.parse(text, item: .run800m) else {
            Issue.record("\(text) accepted")
            return
        }
    }

    /// Most time cells are read from their bytes; a leading space sends the same text down the
    /// general path (which trims it), and both must agree on every value and every refusal.
    @Test func timesReadFromBytesAsTheGeneralPathReadsThem() {
        let pieces = ["0", "1", "3", "5", "6", "9", "12", "59", "60", "225", ".", "′", "″", "'", "\"", ":", "’", "”"]
        var random = SeededGenerator(seed: 5)
        for _ in 0..<30_000 {
            let text = (0..<Int.random(in: 1...4, using: &random)).map { _ in
                pieces.randomElement(using: &random)!
            }.joined()
            #expect(
                FitnessValues.parse(text, item: .run800m) == FitnessValues.parse(" " + text, item: .run800m), "\(text)")
        }
    }

    @Test func fiftyMetresNeedsADecimalPoint() {
        #expect(FitnessValues.parse("8.5", item: .run50m) == .value(8.5))
        #expect(FitnessValues.parse("９.１", item: .run50m) == .value(9.1))
        guard case .invalid(let reason) = FitnessValues.parse("8″5", item: .run50m) else {
            Issue.record("accepted")
            return
        }
        #expect(reason.contains("小数点"))
    }

    @Test func markersAndBlanks() {
        #expect(FitnessValues.parse("免测", item: .vitalCapacity) == .exempt)
        #expect(FitnessValues.parse("免体", item: .run50m) == .exempt)
        #expect(FitnessValues.parse("", item: .pullUp) == .blank)
        #expect(FitnessValues.parse("--", item: .pullUp) == .blank)
        #expect(FitnessValues.minutesSecondsText(225) == "3′45″")
        #expect(FitnessValues.minutesSecondsText(65) == "1′05″")
    }
}

@Suite struct FitnessReaderTests {
    let term = Term("2025-2026-1")!
    static let fullHeader =
        "年级编号,班级编号,班级名称,学籍号,民族代码,姓名,性别,出生日期,家庭住址,身高,体重,肺活量,50米跑,立定跳远,坐位体前屈,50米x8往返跑,一分钟仰卧起坐,一分钟跳绳,800米跑（女）,1000米跑（男）,一分钟仰卧起坐（女）,引体向上（男）"

    func read(_ csv: String, encoding: String.Encoding = .utf8) throws -> (
        records: [FitnessRecord], summary: ReadSummary
    ) {
        let url = try temporaryFolder().appendingPathComponent("体测.csv")
        try #require(csv.data(using: encoding)).write(to: url)
        var records: [FitnessRecord] = []
        let summary = try FitnessReader(term: term).read(url) { records.append($0) }
        return (records, summary)
    }

    /// 民族 as stored: the name of a GB/T 3304 code or of a name without 族, the text of anything
    /// else, nothing for a blank cell; row after row, repeated and interleaved.
    @Test func ethnicityCellsAreStoredAsNames() throws {
        let cells = ["1", "01", "汉", "回族", "穿青人", "", "99", "1", "03", "99", "", "汉", "1"]
        let expected = ["汉族", "汉族", "汉族", "回族", "穿青人", nil, "99", "汉族", "回族", "99", nil, "汉族", "汉族"]
        let rows = cells.enumerated().map { index, cell in
            "11,1101,一年级1班,G\(index),\(cell),学生\(index),1,2019/3/4,,120,22,1250,10.9,,12.5,,,115,,,,"
        }
        let (records, _) = try read(([Self.fullHeader] + rows).joined(separator: "\n"))
        #expect(records.map(\.student.ethnicity) == expected)
    }

    @Test func fullNationalLayoutInGB18030() throws {
        let csv = """
            \(Self.fullHeader)
            11,1101,一年级1班,G001,1,王堃,1,2019/3/4,某街道,120.0,22.0,1250,10.9,,12.5,,,115,,,,
            22,2201,初二1班,G002,1,陈镕,2,2012/5/6,某街道,160.0,50.0,2450,9.1,170,16.0,,,,3′58″,,45,
            22,2201,初二1班,G003,1,张喆,1,2012/7/8,某街道,165,55,3000,7.9,220,10,,,,,3'40",,9
            """
        let (records, summary) = try read(csv, encoding: String.Encoding(rawValue: 0x8000_0632))
        #expect(summary.findings.isEmpty, "\(summary.findings.map(\.description))")
        #expect(records.count == 3)
        #expect(
            records[0].student.name == "王堃" && records[0].student.grade?.code == 11
                && records[0].student.className == "1班")
        #expect(records[0].results == [.vitalCapacity: 1250, .run50m: 10.9, .sitAndReach: 12.5, .ropeSkip: 115])
        #expect(records[1].results[.sitUp] == 45 && records[1].results[.run800m] == 238)
        #expect(records[2].results[.pullUp] == 9 && records[2].results[.run1000m] == 220)
        #expect(records[1].rawTexts["run_800m"] == "3′58″")
        // Typed texts are kept where they say more than the number: 120.0, 160.0, 16.0, 3′58″ and
        // 3'40" are; 1250 and 10.9 are the numbers themselves.
        #expect(records[0].rawTexts == ["height": "120.0", "weight": "22.0"])
        #expect(
            records[1].rawTexts == ["height": "160.0", "weight": "50.0", "sit_and_reach": "16.0", "run_800m": "3′58″"])
        #expect(records[2].rawTexts == ["run_1000m": "3'40\""])
    }

    /// Numbers pasted from a web page or typed with a Chinese input method: a no-break space
    /// (U+00A0) after the number, full-width digits, an ideographic space before it. Each is read
    /// as the number, and the normalised text is kept only where it says more than the number.
    @Test func numbersWithPastedSpacesAndFullWidthDigits() throws {
        let csv = """
            \(Self.fullHeader)
            11,1101,一年级1班,G001,1,王堃,1,2019/3/4,,120.5\u{00A0},２２.０,\u{3000}1250,10.9\u{2000},,12.5,,,115,,,,
            """
        let (records, summary) = try read(csv)
        #expect(summary.findings.isEmpty, "\(summary.findings.map(\.description))")
        let record = try #require(records.first)
        #expect(record.heightCm == 120.5 && record.weightKg == 22)
        #expect(record.results == [.vitalCapacity: 1250, .run50m: 10.9, .sitAndReach: 12.5, .ropeSkip: 115])
        #expect(record.rawTexts == ["weight": "22.0"])
    }

    @Test func perLevelLayoutWithTitleAndExemptStudents() throws {
        let csv = """
            示例县实验小学2025年体质健康测试成绩,,,,,,,,,,,
            年级编号,班级编号,学籍号,姓名,性别,身高,体重,肺活量,50米跑,坐位体前屈,一分钟跳绳,一分钟仰卧起坐
            13,1301,G010,李四,男,免体,,,,,,
            13,1301,G011,王五,女,130,28,1200,10.2,8.0,免测,30
            13,1301,G012,赵六,女,130,28,1200,10.2,8.0,100,
            """
        let (records, summary) = try read(csv)
        #expect(summary.rowsRejected == 0)
        #expect(records.map(\.exempt) == [true, true, false])
        #expect(records[2].results[.sitUp] == nil)
        #expect(summary.findings.isEmpty)
        // An exempt student keeps every cell as typed, plain numbers included, since no result is kept.
        #expect(
            records[1].rawTexts == [
                "height": "130", "weight": "28", "vital_capacity": "1200", "run_50m": "10.2", "sit_and_reach": "8.0",
                "rope_skip_1min": "免测", "sit_up_1min": "30",
            ])
        #expect(records[0].rawTexts == ["height": "免体"])
    }

    @Test func impossibleValuesAreRejectedWithTheirRanges() throws {
        let csv = """
            年级编号,学籍号,姓名,性别,身高,体重,肺活量,50米跑,坐位体前屈,一分钟跳绳
            11,G1,甲,男,20,22,1200,10.2,8.0,100
            11,G2,乙,男,120,22,1200,2,8.0,100
            11,G3,丙,男,120,22,1200,8″5,8.0,100
            11,G4,丁,男,120,22,abc,10.2,8.0,100
            11,G5,戊,男,120,22,1200,10.2,8.0,100
            """
        let (records, summary) = try read(csv)
        #expect(records.map(\.student.name) == ["戊"])
        #expect(summary.rowsRejected == 4)
        let errors = summary.findings.filter { $0.severity == .error }
        #expect(errors.map(\.row) == [2, 3, 4, 5])
        #expect(errors[0].column == "身高" && errors[0].message.contains("80–250"))
        #expect(errors[1].column == "50米跑" && errors[1].value == "2" && errors[1].message.contains("5–20"))
        #expect(errors[2].message.contains("小数点"))
        #expect(errors[3].column == "肺活量")
    }

    @Test func oppositeSexColumnsAreIgnoredWithAWarning() throws {
        let csv = """
            \(Self.fullHeader)
            21,2101,初一1班,G1,1,甲,2,2013/1/1,,155,45,2500,9.0,170,15,,,,3′50″,4′10″,40,5
            """
        let (records, summary) = try read(csv)
        #expect(records.first?.results[.run1000m] == nil && records.first?.results[.pullUp] == nil)
        #expect(records.first?.results[.run800m] == 230)
        #expect(summary.findings.filter { $0.severity == .warning }.count == 2)
    }

    @Test func missingGradeColumnIsOneFinding() throws {
        let (records, summary) = try read("学籍号,姓名,性别,身高,体重,肺活量\nG1,甲,男,120,22,1200\n")
        #expect(records.isEmpty)
        #expect(summary.findings.filter { $0.severity == .error }.count == 1)
        #expect(summary.findings.first?.message.contains("年级编号") == true)
    }
}
