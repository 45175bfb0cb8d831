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
                produce: { emit in
                    try reader.read(url, sheet: sheet) { record in try emit((record, classifier.classify(record.input)))
                    }
                },
                student: { $0.0.student }, remarks: { $0.1.findings }
            ) { (item: (record: VisionRecord, result: VisionResult), studentID, schoolID, rows) in
                let (record, result) = item
                return try rows.save(
                    table: "vision_screening",
                    key: [("term_id", termValue), ("round", roundValue), ("student_id", studentID.databaseValue)],
                    inputs: VisionRow.inputs(record, schoolID: schoolID),
                    derived: [
                        (
                            "raw_texts",
                            jsonObject(record.rawTexts.map { ($0.key, $0.value.databaseValue) }).databaseValue
                        ),
                        ("myopic", result.myopic.databaseValue),
                        ("low_vision_grade", result.lowVisionGrade?.rawValue.databaseValue ?? .null),
                        ("needs_referral", result.needsReferral.databaseValue),
                    ],
                    blank: [record.input.right, record.input.left].allSatisfy { $0 == EyeMeasurement() })
            }
        }
    }
}
