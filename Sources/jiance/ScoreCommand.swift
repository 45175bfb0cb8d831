import ArgumentParser
import Foundation
import Ingest
import Standards

struct ScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "无状态评分：读取文件、逐个学生评分并输出，不读写数据库",
        discussion: "输出到标准输出（每个学生一条记录）；被拒绝的行与问题输出到标准错误，有错误时退出码为 1。")

    enum Kind: String, ExpressibleByArgument, CaseIterable { case fitness }
    enum Format: String, ExpressibleByArgument, CaseIterable { case csv, json }

    @Argument(help: "数据类型：fitness（国家学生体质健康标准）")
    var kind: Kind

    @Argument(help: "成绩文件（.xlsx 或 .csv）")
    var file: String

    @Option(help: "输出格式：csv 或 json")
    var format: Format = .json

    @Option(help: "学期（用于判断出生日期是否合理；默认 2025-2026-1）")
    var term: Term = Term(startYear: 2025, semester: 1)!

    func run() throws {
        let scorer = try FitnessScorer.bundled()
        let url = URL(fileURLWithPath: file)
        var writer = FitnessScoreWriter(format: format)
        writer.begin()
        var findings: [Finding] = []
        let summary = try FitnessReader(term: term).read(url) { record in
            var score = scorer.score(record.input)
            score.findings = score.findings.map { finding in
                var located = finding
                located.file = url.lastPathComponent
                located.row = record.row
                return located
            }
            findings.append(contentsOf: score.findings)
            writer.write(score, raw: record)
        }
        writer.end()
        let problems = summary.findings + findings
        if !problems.isEmpty {
            FileHandle.standardError.write(Data((problems.map(\.description).joined(separator: "\n") + "\n").utf8))
        }
        if summary.rowsRejected > 0 || summary.findings.contains(where: { $0.severity == .error }) { throw InputHadErrors() }
    }
}

/// The stable output of `jiance score fitness` (documented in README.md): one record per
/// student; item keys are the reference's item names.
struct FitnessScoreWriter {
    let format: ScoreCommand.Format
    private var first = true
    private let items = FitnessItem.allCases.filter { $0 != .bmi }

    init(format: ScoreCommand.Format) { self.format = format }

    mutating func begin() {
        switch format {
        case .json: print("[", terminator: "")
        case .csv:
            let itemColumns = items.flatMap { [$0.rawValue, "\($0.rawValue)_score"] }
            print((["student_id", "grade", "sex", "status", "bmi", "bmi_category", "bmi_score"] + itemColumns + ["standard_score", "bonus", "total", "rating", "findings"]).joined(separator: ","))
        }
    }

    mutating func write(_ score: FitnessScore, raw record: FitnessRecord) {
        switch format {
        case .json:
            print(first ? "\n" : ",\n", terminator: "")
            print(json(score), terminator: "")
        case .csv:
            var fields = [score.studentID, String(score.grade.code), score.sex.rawValue, score.status.rawValue]
            fields += [score.bmi.map { number($0.value) } ?? "", score.bmi?.category.rawValue ?? "", score.bmi.map { String($0.score) } ?? ""]
            for item in items {
                let entry = score.item(item)
                fields += [(entry?.raw ?? record.results[item]).map(number) ?? "", entry?.score.map(String.init) ?? ""]
            }
            fields += [score.standardScore.map(number) ?? "", String(score.bonus), score.total.map(number) ?? "", score.rating?.rawValue ?? ""]
            fields.append(score.findings.map(\.message).joined(separator: "；"))
            print(fields.map(csvField).joined(separator: ","))
        }
        first = false
    }

    mutating func end() {
        if format == .json { print(first ? "]" : "\n]") }
    }

    private func json(_ score: FitnessScore) -> String {
        var itemsJSON: [String] = []
        for entry in score.items {
            itemsJSON.append("\(JSONText.quoted(entry.item.rawValue)):{\"raw\":\(entry.raw.map(number) ?? "null"),\"score\":\(entry.score.map(String.init) ?? "null"),\"bonus\":\(entry.bonus),\"weight\":\(entry.weight)}")
        }
        let bmi = score.bmi.map { "{\"value\":\(number($0.value)),\"category\":\(JSONText.quoted($0.category.rawValue)),\"score\":\($0.score)}" } ?? "null"
        let fields = [
            "\"student_id\":\(JSONText.quoted(score.studentID))", "\"grade\":\(score.grade.code)", "\"sex\":\(JSONText.quoted(score.sex.rawValue))",
            "\"bmi\":\(bmi)", "\"items\":{\(itemsJSON.joined(separator: ","))}",
            "\"standard_score\":\(score.standardScore.map(number) ?? "null")", "\"bonus\":\(score.bonus)",
            "\"total\":\(score.total.map(number) ?? "null")", "\"rating\":\(score.rating.map { JSONText.quoted($0.rawValue) } ?? "null")",
            "\"status\":\(JSONText.quoted(score.status.rawValue))", "\"findings\":[\(score.findings.map { JSONText.quoted($0.message) }.joined(separator: ","))]",
        ]
        return "  {" + fields.joined(separator: ",") + "}"
    }

    /// Shortest decimal text: 87.4, 1250, -0.8.
    private func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    private func csvField(_ text: String) -> String {
        text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }
}
