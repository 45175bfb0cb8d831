import ArgumentParser
import Foundation
import Ingest
import Standards

struct ScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "无状态评分：读取文件、逐个学生评分并输出，不读写数据库",
        discussion: "输出到标准输出（每个学生一条记录）；被拒绝的行与问题输出到标准错误，有错误时退出码为 1。")

    enum Kind: String, ExpressibleByArgument, CaseIterable { case fitness, vision, psych }
    enum Format: String, ExpressibleByArgument, CaseIterable { case csv, json }

    @Argument(help: "数据类型：fitness（国家学生体质健康标准）、vision（视力筛查）、psych（心理筛查量表）")
    var kind: Kind

    @Argument(help: "成绩或筛查文件（.xlsx 或 .csv）")
    var file: String

    @Option(help: "输出格式：csv 或 json")
    var format: Format = .json

    @Option(help: "学期（用于计算年龄；默认 2025-2026-1）")
    var term: Term = Term(startYear: 2025, semester: 1)!

    @OptionGroup var vision: VisionOptions

    @Option(help: "心理量表：phq9、phq_a、gad7、mht、scl90、sdq、dsrsc、scared、cesd")
    var scale: String?

    @OptionGroup var settings: SettingsOptions

    func validate() throws {
        if kind == .psych {
            guard let scale else { throw ValidationError("心理筛查需要 --scale（\(PsychScale.ids.joined(separator: "、"))）") }
            guard PsychScale.ids.contains(PsychScale.normalizedID(scale)) else { throw ValidationError("未知量表 \(scale)（可用：\(PsychScale.ids.joined(separator: "、"))）") }
        }
    }

    func run() throws {
        let url = URL(fileURLWithPath: file)
        var findings: [Finding] = []
        func locate(_ list: [Finding], row: Int) -> [Finding] {
            list.map { finding in
                var located = finding
                located.file = url.lastPathComponent
                located.row = row
                return located
            }
        }
        let summary: ReadSummary
        switch kind {
        case .fitness:
            let scorer = try FitnessScorer.bundled()
            var writer = FitnessScoreWriter(format: format)
            writer.begin()
            summary = try FitnessReader(term: term).read(url) { record in
                var score = scorer.score(record.input)
                score.findings = locate(score.findings, row: record.row)
                findings.append(contentsOf: score.findings)
                writer.write(score, raw: record)
            }
            writer.end()
        case .psych:
            let psychScale = try PsychScale.named(scale ?? "")
            let scorer = PsychScorer(settings: try settings.load().psych)
            FileHandle.standardError.write(Data((scorer.settings.description + "\n").utf8))
            var writer = PsychResultWriter(format: format)
            writer.begin()
            summary = try PsychReader(term: term, scale: psychScale).read(url) { record in
                var result = scorer.score(record.answers, scale: psychScale)
                result.findings = locate(result.findings, row: record.row)
                findings.append(contentsOf: result.findings)
                writer.write(result)
            }
            writer.end()
        case .vision:
            let classifier = VisionClassifier(settings: vision.settings)
            FileHandle.standardError.write(Data((vision.settings.description + "\n").utf8))
            var writer = VisionResultWriter(format: format)
            writer.begin()
            summary = try VisionReader(term: term).read(url) { record in
                var result = classifier.classify(record.input)
                result.findings = locate(result.findings, row: record.row)
                findings.append(contentsOf: result.findings)
                writer.write(result)
            }
            writer.end()
        }
        let problems = summary.findings + findings
        if !problems.isEmpty {
            FileHandle.standardError.write(Data((problems.map(\.description).joined(separator: "\n") + "\n").utf8))
        }
        if summary.rowsRejected > 0 || summary.findings.contains(where: { $0.severity == .error }) { throw InputHadErrors() }
    }
}

/// The settings of the myopia rule, shared by every command that classifies screenings.
struct VisionOptions: ParsableArguments {
    @Option(help: "等效球镜界值的比较：'<'（默认，SE < -0.50 D 为近视）或 '<='")
    var boundary: String = "<"

    @Flag(help: "6 岁以下儿童也按 5.0 判定（默认按 4.9）")
    var noUnderSixThreshold = false

    var settings: VisionSettings {
        VisionSettings(boundary: VisionSettings.Boundary(rawValue: boundary) ?? .lessThan, underSixThreshold: !noUnderSixThreshold)
    }

    func validate() throws {
        guard VisionSettings.Boundary(rawValue: boundary) != nil else { throw ValidationError("--boundary 只能是 '<' 或 '<='") }
    }
}

/// The stable output of `jiance score vision` (documented in README.md).
struct VisionResultWriter {
    let format: ScoreCommand.Format
    private var first = true

    init(format: ScoreCommand.Format) { self.format = format }

    mutating func begin() {
        switch format {
        case .json: print("[", terminator: "")
        case .csv: print("student_id,grade_code,sex,right_va,right_se,right_myopic,left_va,left_se,left_myopic,myopic,low_vision,low_vision_grade,myopia_severity,glasses_type,findings")
        }
    }

    mutating func write(_ result: VisionResult) {
        func flag(_ value: Bool?) -> String { value.map { $0 ? "true" : "false" } ?? "null" }
        func va(_ acuity: Acuity?) -> String {
            switch acuity {
            case .fivePoint?: acuity!.text
            case .belowChart(let text)?: JSONText.quoted(text)
            case nil: "null"
            }
        }
        switch format {
        case .json:
            print(first ? "\n" : ",\n", terminator: "")
            func eye(_ e: EyeResult) -> String { "{\"va\":\(va(e.acuity)),\"se\":\(e.se.map { String($0.value) } ?? "null"),\"myopic\":\(flag(e.myopic))}" }
            let fields = [
                "\"student_id\":\(JSONText.quoted(result.studentID))", "\"grade_code\":\(result.grade.map { String($0.code) } ?? "null")",
                "\"sex\":\(result.sex.map { JSONText.quoted($0.rawValue) } ?? "null")", "\"right\":\(eye(result.right))", "\"left\":\(eye(result.left))",
                "\"myopic\":\(flag(result.myopic))", "\"low_vision\":\(flag(result.lowVision))",
                "\"low_vision_grade\":\(result.lowVisionGrade.map { JSONText.quoted($0.rawValue) } ?? "null")",
                "\"myopia_severity\":\(result.severity.map { JSONText.quoted($0.rawValue) } ?? "null")",
                "\"glasses_type\":\(result.glasses.map { String($0.rawValue) } ?? "null")",
                "\"findings\":[\(result.findings.map { JSONText.quoted($0.message) }.joined(separator: ","))]",
            ]
            print("  {" + fields.joined(separator: ",") + "}", terminator: "")
        case .csv:
            func plain(_ value: Bool?) -> String { value.map { $0 ? "true" : "false" } ?? "" }
            func eye(_ e: EyeResult) -> [String] { [e.acuity?.text ?? "", e.se.map { String($0.value) } ?? "", plain(e.myopic)] }
            var fields: [String] = [result.studentID, result.grade.map { String($0.code) } ?? "", result.sex?.rawValue ?? ""]
            fields += eye(result.right) + eye(result.left)
            fields += [plain(result.myopic), plain(result.lowVision), result.lowVisionGrade?.rawValue ?? "", result.severity?.rawValue ?? ""]
            fields += [result.glasses.map { String($0.rawValue) } ?? "", result.findings.map(\.message).joined(separator: "；")]
            print(fields.map(csvField).joined(separator: ","))
        }
        first = false
    }

    mutating func end() {
        if format == .json { print(first ? "]" : "\n]") }
    }
}

/// The stable output of `jiance score psych` (documented in README.md).
struct PsychResultWriter {
    let format: ScoreCommand.Format
    private var first = true

    init(format: ScoreCommand.Format) { self.format = format }

    mutating func begin() {
        switch format {
        case .json: print("[", terminator: "")
        case .csv: print("student_id,scale,total,subscales,band,risk_level,critical_items,critical_items_known,valid,complete,findings")
        }
    }

    mutating func write(_ result: PsychResult) {
        func number(_ value: Double) -> String { value == value.rounded() ? String(Int(value)) : String(format: "%.2f", value) }
        switch format {
        case .json:
            print(first ? "\n" : ",\n", terminator: "")
            let subscales = result.subscales.map { "\(JSONText.quoted($0.id)):\(number($0.value))" }.joined(separator: ",")
            let fields = [
                "\"student_id\":\(JSONText.quoted(result.studentID))", "\"scale\":\(JSONText.quoted(result.scale))",
                "\"total\":\(result.total.map(String.init) ?? "null")", "\"subscales\":{\(subscales)}",
                "\"band\":\(result.band.map(JSONText.quoted) ?? "null")", "\"risk_level\":\(result.riskLevel.map { JSONText.quoted($0.rawValue) } ?? "null")",
                "\"critical_items\":[\(result.criticalItems.map(JSONText.quoted).joined(separator: ","))]",
                "\"critical_items_known\":\(result.criticalItemsKnown)", "\"valid\":\(result.valid)", "\"complete\":\(result.complete)",
                "\"findings\":[\(result.findings.map { JSONText.quoted($0.message) }.joined(separator: ","))]",
            ]
            print("  {" + fields.joined(separator: ",") + "}", terminator: "")
        case .csv:
            let fields = [
                result.studentID, result.scale, result.total.map(String.init) ?? "", result.subscales.map { "\($0.id)=\(number($0.value))" }.joined(separator: ";"),
                result.band ?? "", result.riskLevel?.rawValue ?? "", result.criticalItems.joined(separator: ";"), String(result.criticalItemsKnown),
                String(result.valid), String(result.complete), result.findings.map(\.message).joined(separator: "；"),
            ]
            print(fields.map(csvField).joined(separator: ","))
        }
        first = false
    }

    mutating func end() {
        if format == .json { print(first ? "]" : "\n]") }
    }
}

/// A CSV field, quoted when it holds a comma, quote or line break (RFC 4180).
func csvField(_ text: String) -> String {
    text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
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

}
