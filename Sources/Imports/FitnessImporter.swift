import Foundation
import GRDB
import Ingest
import Standards
import Store

/// `jiance import fitness`: results in the national template, scored by the 2014 standard and
/// stored with their raw values. Students the roster lacks are added with a warning.
public struct FitnessImporter {
    public let database: JianceDatabase
    /// The one school an upload may touch (a school account's); nil for any school.
    public var onlySchool: Int64?
    public let scorer: FitnessScorer
    /// Safety limits for reading the files.
    public var limits = ReadLimits()

    public init(database: JianceDatabase, scorer: FitnessScorer) {
        self.database = database
        self.scorer = scorer
    }

    public func importFile(
        _ url: URL, term: Term, mode: ImportMode = .keepValid, defaultSchool: String? = nil, sheet: String? = nil
    ) throws -> ImportOutcome {
        try ImportTransaction(database: database, onlySchool: onlySchool).run(
            kind: .fitness, file: url, term: term, mode: mode
        ) {
            db, batch, counts, findings in
            var configured = FitnessReader(term: term)
            configured.limits = limits
            let reader = configured
            let scorer = scorer
            // The key's constant parts, converted once rather than on every row.
            let (termValue, roundValue) = (term.description.databaseValue, FitnessRound.regular.rawValue.databaseValue)
            try StudentResultImport(
                db: db, batch: batch, file: url, term: term, defaultSchool: defaultSchool, onlySchool: onlySchool
            ).run(
                counts: &counts, findings: &findings,
                // A row's column values are built on the reading thread, which has time to spare, and the
                // record is freed there too; the writing thread only resolves the student and binds.
                produce: { emit in
                    try reader.read(url, sheet: sheet) { record in
                        try emit(FitnessRow(record, score: scorer.score(record.input)))
                    }
                },
                student: { $0.student }, remarks: { $0.remarks }
            ) { row, studentID, schoolID, rows in
                try rows.save(
                    table: "fitness_result",
                    key: [("term_id", termValue), ("student_id", studentID.databaseValue), ("round", roundValue)],
                    inputs: [("school_id", schoolID.databaseValue)] + row.inputs, derived: row.derived,
                    blank: row.isBlank)
            }
        }
    }
}

/// The columns of a fitness row: the inputs (which decide whether a re-import changed
/// anything; the school is added once the student is resolved) and the scores derived from them.
struct FitnessRow: Sendable {
    let student: StudentRecord
    /// The scorer's remarks on the row, and where the file's own total or rating disagrees.
    let remarks: [Finding]
    let inputs: [(String, DatabaseValue)]
    let derived: [(String, DatabaseValue)]
    /// No measurement and no exemption: nothing to store over an earlier result.
    let isBlank: Bool

    init(_ record: FitnessRecord, score: FitnessScore) {
        student = record.student
        remarks = score.findings + [record.claimed.disagreement(with: score)].compactMap { $0 }
        isBlank = !record.exempt && record.heightCm == nil && record.weightKg == nil && record.results.isEmpty
        var inputs: [(String, DatabaseValue)] = [
            ("grade_code", score.grade.code.databaseValue), ("class_name", record.student.className.databaseValue),
            ("sex", score.sex.rawValue.databaseValue), ("exempt", record.exempt.databaseValue),
            ("height_cm", record.heightCm.databaseValue), ("weight_kg", record.weightKg.databaseValue),
        ]
        for item in FitnessItem.measured { inputs.append((item.rawValue, record.results[item].databaseValue)) }
        var derived: [(String, DatabaseValue)] = [
            ("raw_texts", jsonObject(record.rawTexts.map { ($0.key, $0.value.databaseValue) }).databaseValue),
            ("status", score.status.rawValue.databaseValue), ("bmi_tenths", score.bmi?.tenths.databaseValue ?? .null),
            ("bmi_category", score.bmi?.category.rawValue.databaseValue ?? .null),
            ("bmi_score", score.bmi?.score.databaseValue ?? .null),
            ("standard_hundredths", score.standardHundredths.databaseValue), ("bonus", score.bonus.databaseValue),
            ("total_hundredths", score.totalHundredths.databaseValue),
            ("rating", score.rating?.rawValue.databaseValue ?? .null),
        ]
        for (item, column) in Self.scoreColumns {
            derived.append((column, score.item(item)?.score.databaseValue ?? .null))
        }
        self.inputs = inputs
        self.derived = derived
    }

    /// `vital_capacity_score` …, named once rather than on every row.
    private static let scoreColumns = FitnessItem.measured.map { ($0, "\($0.rawValue)_score") }
}
