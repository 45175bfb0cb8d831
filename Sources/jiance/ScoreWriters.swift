import Foundation
import Ingest
import Standards

/// Prints a stream of records as a JSON array (one object a line) or as CSV with a header, so
/// that large files are printed as they are read.
struct RecordPrinter {
    let format: ScoreCommand.Format
    private var first = true

    init(format: ScoreCommand.Format, csvHeader: [String]) {
        self.format = format
        switch format {
        case .json: print("[", terminator: "")
        case .csv: print(csvHeader.joined(separator: ","))
        }
    }

    /// One record: `json` the members of an object (`"key":value`), `csv` the plain field texts.
    mutating func record(json: [String], csv: [String]) {
        switch format {
        case .json: print((first ? "\n" : ",\n") + "  {" + json.joined(separator: ",") + "}", terminator: "")
        case .csv: print(csv.map(csvField).joined(separator: ","))
        }
        first = false
    }

    func end() {
        if format == .json { print(first ? "]" : "\n]") }
    }
}

/// A CSV field, quoted when it holds a comma, quote or line break (RFC 4180).
func csvField(_ text: String) -> String {
    text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
        ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
}

/// JSON `true`/`false`/`null` and CSV `true`/`false`/empty for an optional flag.
private func jsonFlag(_ value: Bool?) -> String { value.map { $0 ? "true" : "false" } ?? "null" }
private func csvFlag(_ value: Bool?) -> String { value.map { $0 ? "true" : "false" } ?? "" }

/// Shortest decimal text: 87.4, 1250, -0.8.
private func number(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
}

private func messages(_ findings: [Finding]) -> String {
    "[" + findings.map { JSONText.quoted($0.message) }.joined(separator: ",") + "]"
}

/// The stable output of `jiance score fitness` (documented in README.md): one record per
/// student; item keys are the reference's item names.
struct FitnessScoreWriter {
    private var printer: RecordPrinter
    private let items = FitnessItem.measured

    init(format: ScoreCommand.Format) {
        let itemColumns = items.flatMap { [$0.rawValue, "\($0.rawValue)_score"] }
        printer = RecordPrinter(
            format: format,
            csvHeader: ["student_id", "grade", "sex", "status", "bmi", "bmi_category", "bmi_score"] + itemColumns
                + ["standard_score", "bonus", "total", "rating", "findings"])
    }

    mutating func write(_ score: FitnessScore, raw record: FitnessRecord) {
        let itemsJSON = score.items.map { entry in
            "\(JSONText.quoted(entry.item.rawValue)):{\"raw\":\(entry.raw.map(number) ?? "null"),\"score\":\(entry.score.map(String.init) ?? "null"),\"bonus\":\(entry.bonus),\"weight\":\(entry.weight)}"
        }
        let bmi =
            score.bmi.map {
                "{\"value\":\(number($0.value)),\"category\":\(JSONText.quoted($0.category.rawValue)),\"score\":\($0.score)}"
            } ?? "null"
        let json = [
            "\"student_id\":\(JSONText.quoted(score.studentID))", "\"grade\":\(score.grade.code)",
            "\"sex\":\(JSONText.quoted(score.sex.rawValue))",
            "\"bmi\":\(bmi)", "\"items\":{\(itemsJSON.joined(separator: ","))}",
            "\"standard_score\":\(score.standardScore.map(number) ?? "null")", "\"bonus\":\(score.bonus)",
            "\"total\":\(score.total.map(number) ?? "null")",
            "\"rating\":\(score.rating.map { JSONText.quoted($0.rawValue) } ?? "null")",
            "\"status\":\(JSONText.quoted(score.status.rawValue))", "\"findings\":\(messages(score.findings))",
        ]
        var csv = [score.studentID, String(score.grade.code), score.sex.rawValue, score.status.rawValue]
        csv += [
            score.bmi.map { number($0.value) } ?? "", score.bmi?.category.rawValue ?? "",
            score.bmi.map { String($0.score) } ?? "",
        ]
        for item in items {
            let entry = score.item(item)
            csv += [(entry?.raw ?? record.results[item]).map(number) ?? "", entry?.score.map(String.init) ?? ""]
        }
        csv += [
            score.standardScore.map(number) ?? "", String(score.bonus), score.total.map(number) ?? "",
            score.rating?.rawValue ?? "",
        ]
        csv.append(score.findings.map(\.message).joined(separator: "；"))
        printer.record(json: json, csv: csv)
    }

    func end() { printer.end() }
}

/// The stable output of `jiance score vision` (documented in README.md).
struct VisionResultWriter {
    private var printer: RecordPrinter

    init(format: ScoreCommand.Format) {
        printer = RecordPrinter(
            format: format,
            csvHeader: [
                "student_id", "grade_code", "sex", "right_va", "right_se", "right_myopic", "left_va", "left_se",
                "left_myopic", "myopic", "low_vision", "low_vision_grade", "myopia_severity", "glasses_type",
                "findings",
            ])
    }

    mutating func write(_ result: VisionResult) {
        func va(_ acuity: Acuity?) -> String {
            switch acuity {
            case .fivePoint(let tenths)?: "\(tenths / 10).\(tenths % 10)"
            case .belowChart(let text)?: JSONText.quoted(text)
            case nil: "null"
            }
        }
        func eye(_ e: EyeResult) -> String {
            "{\"va\":\(va(e.acuity)),\"se\":\(e.se.map { String($0.value) } ?? "null"),\"myopic\":\(jsonFlag(e.myopic))}"
        }
        func eyeCSV(_ e: EyeResult) -> [String] {
            [e.acuity?.text ?? "", e.se.map { String($0.value) } ?? "", csvFlag(e.myopic)]
        }
        let json = [
            "\"student_id\":\(JSONText.quoted(result.studentID))",
            "\"grade_code\":\(result.grade.map { String($0.code) } ?? "null")",
            "\"sex\":\(result.sex.map { JSONText.quoted($0.rawValue) } ?? "null")", "\"right\":\(eye(result.right))",
            "\"left\":\(eye(result.left))",
            "\"myopic\":\(jsonFlag(result.myopic))", "\"low_vision\":\(jsonFlag(result.lowVision))",
            "\"low_vision_grade\":\(result.lowVisionGrade.map { JSONText.quoted($0.rawValue) } ?? "null")",
            "\"myopia_severity\":\(result.severity.map { JSONText.quoted($0.rawValue) } ?? "null")",
            "\"glasses_type\":\(result.glasses.map { String($0.rawValue) } ?? "null")",
            "\"findings\":\(messages(result.findings))",
        ]
        var csv: [String] = [result.studentID, result.grade.map { String($0.code) } ?? "", result.sex?.rawValue ?? ""]
        csv += eyeCSV(result.right) + eyeCSV(result.left)
        csv += [
            csvFlag(result.myopic), csvFlag(result.lowVision), result.lowVisionGrade?.rawValue ?? "",
            result.severity?.rawValue ?? "",
        ]
        csv += [
            result.glasses.map { String($0.rawValue) } ?? "", result.findings.map(\.message).joined(separator: "；"),
        ]
        printer.record(json: json, csv: csv)
    }

    func end() { printer.end() }
}

/// The stable output of `jiance score psych` (documented in README.md).
struct PsychResultWriter {
    private var printer: RecordPrinter

    init(format: ScoreCommand.Format) {
        printer = RecordPrinter(
            format: format,
            csvHeader: [
                "student_id", "scale", "total", "subscales", "band", "risk_level", "critical_items",
                "critical_items_known", "valid", "complete", "findings",
            ])
    }

    mutating func write(_ result: PsychResult) {
        func score(_ value: Double) -> String {
            value == value.rounded() ? String(Int(value)) : String(format: "%.2f", value)
        }
        let subscales = result.subscales.map { "\(JSONText.quoted($0.id)):\(score($0.value))" }.joined(separator: ",")
        let json = [
            "\"student_id\":\(JSONText.quoted(result.studentID))", "\"scale\":\(JSONText.quoted(result.scale))",
            "\"total\":\(result.total.map(String.init) ?? "null")", "\"subscales\":{\(subscales)}",
            "\"band\":\(result.band.map(JSONText.quoted) ?? "null")",
            "\"risk_level\":\(result.riskLevel.map { JSONText.quoted($0.rawValue) } ?? "null")",
            "\"critical_items\":[\(result.criticalItems.map(JSONText.quoted).joined(separator: ","))]",
            "\"critical_items_known\":\(result.criticalItemsKnown)", "\"valid\":\(result.valid)",
            "\"complete\":\(result.complete)",
            "\"findings\":\(messages(result.findings))",
        ]
        let csv = [
            result.studentID, result.scale, result.total.map(String.init) ?? "",
            result.subscales.map { "\($0.id)=\(score($0.value))" }.joined(separator: ";"),
            result.band ?? "", result.riskLevel?.rawValue ?? "", result.criticalItems.joined(separator: ";"),
            String(result.criticalItemsKnown),
            String(result.valid), String(result.complete), result.findings.map(\.message).joined(separator: "；"),
        ]
        printer.record(json: json, csv: csv)
    }

    func end() { printer.end() }
}
