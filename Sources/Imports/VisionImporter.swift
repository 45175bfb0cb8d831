import Foundation
import GRDB
import Ingest
import Standards
import Store

/// `jiance import vision`: screening results with the measurements as typed and parsed.
public struct VisionImporter {
    public let database: JianceDatabase
    /// The one school an upload may touch (a school account's); nil for any school.
    public var onlySchool: Int64?
    /// Safety limits for reading the files.
    public var limits = ReadLimits()
    public var settings: VisionSettings

    public init(database: JianceDatabase, settings: VisionSettings = VisionSettings()) {
        self.database = database
        self.settings = settings
    }

    public func importFile(
        _ url: URL, term: Term, round: VisionRound = .screening, mode: ImportMode = .keepValid,
        defaultSchool: String? = nil,
        sheet: String? = nil
    ) throws -> ImportOutcome {
        let classifier = VisionClassifier(settings: settings)
        return try ImportTransaction(database: database, onlySchool: onlySchool).run(
            kind: .vision(round: round), file: url, term: term, mode: mode
        ) {
            db, batch, counts, findings in
            var configured = VisionReader(term: term)
            configured.limits = limits
            let reader = configured
            // The key's constant parts, converted once rather than on every row.
            let (termValue, roundValue) = (term.description.databaseValue, round.rawValue.databaseValue)
            try StudentResultImport(
                db: db, batch: batch, file: url, term: term, defaultSchool: defaultSchool, onlySchool: onlySchool
            ).run(
                counts: &counts, findings: &findings,
                // A row's columns are built on the reading thread; the writing thread resolves and binds.
                produce: { emit in
                    try reader.read(url, sheet: sheet) { record in
                        try emit(ResultRow(vision: record, result: classifier.classify(record.input)))
                    }
                },
                student: { $0.student }, remarks: { $0.remarks }
            ) { row, studentID, schoolID, rows in
                try row.save(
                    in: rows, table: "vision_screening",
                    key: [("term_id", termValue), ("round", roundValue), ("student_id", studentID.databaseValue)],
                    school: schoolID)
            }
        }
    }
}

extension ResultRow {
    /// A screening row: the measurements as typed and parsed, and their classification; a row
    /// with neither eye measured is blank.
    init(vision record: VisionRecord, result: VisionResult) {
        self.init(
            student: record.student, remarks: result.findings, inputs: VisionRow.inputs(record),
            derived: [
                ("raw_texts", jsonObject(record.rawTexts.map { ($0.key, $0.value.databaseValue) }).databaseValue),
                ("myopic", result.myopic.databaseValue),
                ("low_vision_grade", result.lowVisionGrade?.rawValue.databaseValue ?? .null),
                ("needs_referral", result.needsReferral.databaseValue),
            ],
            isBlank: [record.input.right, record.input.left].allSatisfy { $0 == EyeMeasurement() },
            measured: Self.visionMeasured)
    }

    /// Each eye's acuity (a number, or a text below the chart), sphere, cylinder, axis and given
    /// spherical equivalent, and the glasses worn: what a blank cell must not erase.
    private static let visionMeasured =
        [("右眼", "right"), ("左眼", "left")].flatMap { label, eye in
            let columns = VisionRow.eyeColumns(eye)
            return [MeasuredColumns("\(label)视力", [columns[0], columns[1]])]
                + zip(["球镜", "柱镜", "轴位", "等效球镜"], columns[2...]).map { MeasuredColumns(label + $0, [$1]) }
        } + [MeasuredColumns("戴镜情况", ["glasses_type"])]
}
