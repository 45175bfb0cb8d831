import Foundation
import Ingest
import Services
import Standards

/// Prints a stream of records as a JSON array (one object a line) or as CSV with a header, so
/// that large files are printed as they are read. Lines go to a buffer written out every 64 KB
/// rather than through `print`, which formats through a text stream on every call.
struct RecordPrinter {
    let format: ScoreCommand.Format
    private let csvHeader: [String]
    private var first = true
    private let output = StandardOutputBuffer()

    init(format: ScoreCommand.Format, csvHeader: [String]) {
        self.format = format
        self.csvHeader = csvHeader
    }

    /// One record: `json` the object (through `JSONOutput`), `csv` writes the fields of its
    /// line; only the format asked for is built. The first comes after the CSV header or the
    /// array's opening.
    mutating func record(json: () -> some Encodable, csv: (inout CSVLine) -> Void) throws {
        switch format {
        case .json:
            output.append(first ? "[\n  " : ",\n  ")
            output.append(try JSONOutput.text(json()))
        case .csv:
            if first { output.append(csvHeader.joined(separator: ",") + "\n") }
            output.appendCSVLine(csv)
        }
        if output.isFull { output.flush() }
        first = false
    }

    /// Closes the output. A run that scored no student prints nothing at all (it ends with exit
    /// code 1): a header or an empty array on standard output would read, for the script taking
    /// it, as the scores of a file without students.
    func end() {
        guard !first else { return }
        if format == .json { output.append("\n]\n") }
        output.flush()
    }
}

/// Bytes on their way to standard output, written in 64 KB blocks; whatever is left is written
/// when the buffer goes away, so that a file that fails half-way still shows the rows before.
final class StandardOutputBuffer {
    /// Taken by a CSV line while it is written, and given back.
    private var bytes: ByteBuffer? = ByteBuffer(capacity: 1 << 16 + 1 << 12)

    deinit { flush() }

    var isFull: Bool { (bytes?.count ?? 0) >= 1 << 16 }

    func append(_ text: String) { bytes?.appendUTF8(text) }

    /// One CSV line, its fields written by `write` straight into the buffer's bytes (moved into
    /// the line and back, not copied): appending field by field to this class's storage checked
    /// exclusive access on every field.
    func appendCSVLine(_ write: (inout CSVLine) -> Void) {
        var line = CSVLine(appendingTo: bytes.take()!)
        write(&line)
        bytes = line.finished()
    }

    func flush() {
        guard let count = bytes?.count, count > 0 else { return }
        FileHandle.standardOutput.write(bytes!.withBytes { Data($0) })
        bytes?.removeAll()
    }
}

extension CSVLine {
    /// `true`, `false`, or empty for a flag not known.
    fileprivate mutating func flag(_ value: Bool?) { text(value.map { $0 ? "true" : "false" } ?? "") }
}

/// The stable output of `jiance score fitness` (documented in README.md): one record per
/// student; item keys are the reference's item names.
struct FitnessScoreWriter {
    private var printer: RecordPrinter
    private static let items = FitnessItem.measured

    init(format: ScoreCommand.Format) {
        let itemColumns = Self.items.flatMap { [$0.rawValue, "\($0.rawValue)_score"] }
        printer = RecordPrinter(
            format: format,
            csvHeader: ["student_id", "grade", "sex", "status", "bmi", "bmi_category", "bmi_score"] + itemColumns
                + ["standard_score", "bonus", "total", "rating", "findings"])
    }

    /// One student as JSON (README.md, `jiance score fitness`).
    private struct Record: Encodable {
        struct Item: Encodable {
            @OrNull var raw: Double?
            @OrNull var score: Int?
            var bonus: Int
            var weight: Int
        }

        struct BMI: Encodable {
            var value: Double
            var category: String
            var score: Int
        }

        var studentID: String
        var grade: Int
        var sex: String
        @OrNull var bmi: BMI?
        var items: [String: Item]
        @OrNull var standardScore: Double?
        var bonus: Int
        @OrNull var total: Double?
        @OrNull var rating: String?
        var status: String
        var findings: [String]

        enum CodingKeys: String, CodingKey {
            case grade, sex, bmi, items, bonus, total, rating, status, findings
            case studentID = "student_id"
            case standardScore = "standard_score"
        }
    }

    mutating func write(_ score: FitnessScore, raw record: FitnessRecord) throws {
        try printer.record(json: { Self.json(score) }, csv: { Self.csv(score, raw: record, &$0) })
    }

    private static func json(_ score: FitnessScore) -> Record {
        Record(
            studentID: score.studentID, grade: score.grade.code, sex: score.sex.rawValue,
            bmi: score.bmi.map { Record.BMI(value: $0.value, category: $0.category.rawValue, score: $0.score) },
            items: Dictionary(
                uniqueKeysWithValues: score.items.map {
                    ($0.item.rawValue, Record.Item(raw: $0.raw, score: $0.score, bonus: $0.bonus, weight: $0.weight))
                }),
            standardScore: score.standardScore, bonus: score.bonus, total: score.total, rating: score.rating?.rawValue,
            status: score.status.rawValue, findings: score.findings.map(\.message))
    }

    private static func csv(_ score: FitnessScore, raw record: FitnessRecord, _ line: inout CSVLine) {
        line.text(score.studentID)
        line.integer(score.grade.code)
        line.text(score.sex.rawValue)
        line.text(score.status.rawValue)
        line.number(score.bmi?.value)
        line.text(score.bmi?.category.rawValue ?? "")
        line.integer(score.bmi?.score)
        for item in items {
            let entry = score.item(item)
            line.number(entry?.raw ?? record.results[item])
            line.integer(entry?.score)
        }
        line.number(score.standardScore)
        line.integer(score.bonus)
        line.number(score.total)
        line.text(score.rating?.rawValue ?? "")
        line.text(score.findings.map(\.message).joined(separator: "；"))
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

    /// One student as JSON (README.md, `jiance score vision`).
    private struct Record: Encodable {
        /// Five-point acuity as a number (4.8), or below the chart as the text typed (指数).
        enum Acuity: Encodable {
            case fivePoint(Double)
            case text(String)
            func encode(to encoder: any Encoder) throws {
                var container = encoder.singleValueContainer()
                switch self {
                case .fivePoint(let value): try container.encode(value)
                case .text(let text): try container.encode(text)
                }
            }
        }

        struct Eye: Encodable {
            @OrNull var va: Acuity?
            @OrNull var se: Double?
            @OrNull var myopic: Bool?
        }

        var studentID: String
        @OrNull var gradeCode: Int?
        @OrNull var sex: String?
        var right, left: Eye
        @OrNull var myopic: Bool?
        @OrNull var lowVision: Bool?
        @OrNull var lowVisionGrade: String?
        @OrNull var myopiaSeverity: String?
        @OrNull var glassesType: Int?
        var findings: [String]

        enum CodingKeys: String, CodingKey {
            case sex, right, left, myopic, findings
            case studentID = "student_id"
            case gradeCode = "grade_code"
            case lowVision = "low_vision"
            case lowVisionGrade = "low_vision_grade"
            case myopiaSeverity = "myopia_severity"
            case glassesType = "glasses_type"
        }
    }

    mutating func write(_ result: VisionResult) throws {
        func eye(_ e: EyeResult) -> Record.Eye {
            let va: Record.Acuity? =
                switch e.acuity {
                case .fivePoint(let tenths)?: .fivePoint(Double(tenths) / 10)
                case .belowChart(let text)?: .text(text)
                case nil: nil
                }
            return Record.Eye(va: va, se: e.se?.value, myopic: e.myopic)
        }
        func eyeCSV(_ e: EyeResult, _ line: inout CSVLine) {
            line.text(e.acuity?.text ?? "")
            line.text(e.se.map { String($0.value) } ?? "")
            line.flag(e.myopic)
        }
        func json() -> Record {
            Record(
                studentID: result.studentID, gradeCode: result.grade?.code, sex: result.sex?.rawValue,
                right: eye(result.right),
                left: eye(result.left), myopic: result.myopic, lowVision: result.lowVision,
                lowVisionGrade: result.lowVisionGrade?.rawValue, myopiaSeverity: result.severity?.rawValue,
                glassesType: result.glasses?.rawValue, findings: result.findings.map(\.message))
        }
        func csv(_ line: inout CSVLine) {
            line.text(result.studentID)
            line.integer(result.grade?.code)
            line.text(result.sex?.rawValue ?? "")
            eyeCSV(result.right, &line)
            eyeCSV(result.left, &line)
            line.flag(result.myopic)
            line.flag(result.lowVision)
            line.text(result.lowVisionGrade?.rawValue ?? "")
            line.text(result.severity?.rawValue ?? "")
            line.integer(result.glasses?.rawValue)
            line.text(result.findings.map(\.message).joined(separator: "；"))
        }
        try printer.record(json: json, csv: csv)
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

    /// One answer sheet as JSON (README.md, `jiance score psych`).
    private struct Record: Encodable {
        var studentID: String
        var scale: String
        @OrNull var total: Int?
        var subscales: [String: Fixed]
        @OrNull var band: String?
        @OrNull var riskLevel: String?
        var criticalItems: [String]
        var criticalItemsKnown: Bool
        var valid: Bool
        var complete: Bool
        var findings: [String]

        enum CodingKeys: String, CodingKey {
            case scale, total, subscales, band, valid, complete, findings
            case studentID = "student_id"
            case riskLevel = "risk_level"
            case criticalItems = "critical_items"
            case criticalItemsKnown = "critical_items_known"
        }
    }

    mutating func write(_ result: PsychResult) throws {
        func score(_ value: Double) -> String {
            value == value.rounded() ? String(Int(value)) : String(format: "%.2f", value)
        }
        func json() -> Record {
            Record(
                studentID: result.studentID, scale: result.scale, total: result.total,
                subscales: Dictionary(
                    uniqueKeysWithValues: result.subscales.map { ($0.id, Fixed($0.value, decimals: 2)) }),
                band: result.band, riskLevel: result.riskLevel?.rawValue, criticalItems: result.criticalItems,
                criticalItemsKnown: result.criticalItemsKnown, valid: result.valid, complete: result.complete,
                findings: result.findings.map(\.message))
        }
        func csv(_ line: inout CSVLine) {
            line.text(result.studentID)
            line.text(result.scale)
            line.integer(result.total)
            line.text(result.subscales.map { "\($0.id)=\(score($0.value))" }.joined(separator: ";"))
            line.text(result.band ?? "")
            line.text(result.riskLevel?.rawValue ?? "")
            line.text(result.criticalItems.joined(separator: ";"))
            line.flag(result.criticalItemsKnown)
            line.flag(result.valid)
            line.flag(result.complete)
            line.text(result.findings.map(\.message).joined(separator: "；"))
        }
        try printer.record(json: json, csv: csv)
    }

    func end() { printer.end() }
}
