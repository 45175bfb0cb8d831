import Foundation
import Ingest
import Standards
import TestSupport
import Testing

@Suite struct PsychReaderTests {
    let term = Term("2025-2026-1")!

    func read(_ csv: String, scale: String) throws -> (records: [PsychRecord], summary: ReadSummary) {
        let url = try temporaryFolder().appendingPathComponent("psych.csv")
        try Data(csv.utf8).write(to: url)
        var records: [PsychRecord] = []
        let summary = try PsychReader(term: term, scale: try PsychScale.named(scale)).read(url) { records.append($0) }
        return (records, summary)
    }

    @Test func itemColumnSpellingsAndOptionTexts() throws {
        let (records, summary) = try read(
            """
            问卷导出,,,,,,,,,,
            学籍号,姓名,第1题,第2题,Q3,q04,5.食欲不振,题6,item7,8,9
            G1,甲,完全不会,好几天,一半以上的天数,几乎每天,0,1,2,3,0
            """, scale: "phq9")
        #expect(summary.findings.isEmpty)
        #expect(records.first?.answers.answers == [1: 0, 2: 1, 3: 2, 4: 3, 5: 0, 6: 1, 7: 2, 8: 3, 9: 0])
    }

    @Test func mhtYesNoAndInvalidAnswers() throws {
        let header = "学籍号,姓名," + (1...100).map { "\($0)" }.joined(separator: ",")
        let answers = (1...100).map { $0 == 5 ? "也许" : ($0 % 2 == 0 ? "是" : "否") }.joined(separator: ",")
        let (records, summary) = try read("\(header)\nG1,甲,\(answers)\n", scale: "mht")
        let record = try #require(records.first)
        #expect(record.answers.answers[2] == 1 && record.answers.answers[3] == 0 && record.answers.answers[5] == nil)
        #expect(record.invalidItems == [5])
        #expect(summary.findings.contains { $0.severity == .warning && $0.value == "也许" && $0.column == "5" })
    }

    @Test func totalsOnlyAndPHQASupplementary() throws {
        let (totals, _) = try read("学籍号,姓名,总分\nG1,甲,12\n", scale: "phq9")
        #expect(totals.first?.answers.totalOnly == 12 && totals.first?.answers.answers.isEmpty == true)
        let (phqa, _) = try read(
            "学籍号,姓名,Q1,Q2,Q3,Q4,Q5,Q6,Q7,Q8,Q9,过去一个月是否有过严重的自杀念头,是否曾经尝试自杀\nG1,甲,0,0,0,0,0,0,0,0,0,是,否\n", scale: "phq_a")
        #expect(
            phqa.first?.answers.supplementary == [
                "past_month_serious_suicidal_thoughts": true, "lifetime_suicide_attempt": false,
            ])
        #expect(PsychScorer().score(phqa[0].answers, scale: try PsychScale.named("phq_a")).riskLevel == .red)
    }

    /// Answers that are mostly not the scale's options (a 0–3 sheet read as MHT's 是/否) refuse
    /// the sheet whole, judged on its first rows; an odd answer further down is its row's warning.
    @Test func answersOutsideTheOptionsRefuseTheSheet() throws {
        let header = "学籍号,姓名," + (1...9).map { "Q\($0)" }.joined(separator: ",")
        func rows(_ range: Range<Int>, answer: String) -> String {
            range.map { "G\($0),学生\($0)," + Array(repeating: answer, count: 9).joined(separator: ",") }
                .joined(separator: "\n")
        }
        let wrong = try read("\(header)\n\(rows(0..<30, answer: "是"))\n", scale: "phq9")
        #expect(wrong.records.isEmpty)
        #expect(
            wrong.summary.findings.count == 1 && wrong.summary.findings[0].message.contains("270 个作答中有 270 个")
                && wrong.summary.findings[0].message.contains("整张表未导入"), "\(wrong.summary.findings)")
        // Only the first rows are read twice: 400 odd rows after them (29 % of all answers) are
        // each reported, and the sheet's other rows are kept.
        let sample = PsychReader.refusalSampleRows
        let lateOdd = try read(
            "\(header)\n\(rows(0..<sample, answer: "1"))\n\(rows(sample..<(sample + 400), answer: "是"))\n",
            scale: "phq9")
        #expect(lateOdd.records.count == sample + 400)
        #expect(lateOdd.summary.findings.filter { $0.value == "是" }.count == 400 * 9)
    }

    @Test func noItemsNoTotalIsOneFinding() throws {
        let (_, summary) = try read("学籍号,姓名,身高\nG1,甲,120\n", scale: "gad7")
        #expect(
            summary.findings.count == 1 && summary.findings[0].message.contains("gad7")
                && summary.findings[0].severity == .error)
    }
}
