import Foundation
import GRDB
import Ingest
import Standards

/// `jiance import fitness`: results in the national template, scored by the 2014 standard and
/// stored with their raw values. Students the roster lacks are added with a warning.
public struct FitnessImporter {
    public let database: JianceDatabase
    public let scorer: FitnessScorer
    /// Safety limits for reading the files.
    public var limits = ReadLimits()

    public init(database: JianceDatabase, scorer: FitnessScorer) {
        self.database = database
        self.scorer = scorer
    }

    public func importFile(_ url: URL, term: Term, mode: ImportMode = .keepValid, defaultSchool: String? = nil, sheet: String? = nil) throws -> ImportOutcome {
        try ImportRunner(database: database).run(kind: "fitness", file: url, term: term, mode: mode) { db, batch, counts, findings in
            var configured = FitnessReader(term: term)
            configured.limits = limits
            let reader = configured, scorer = scorer
            try ResultImport(db: db, batch: batch, file: url, term: term, defaultSchool: defaultSchool).run(
                counts: &counts, findings: &findings,
                produce: { emit in try reader.read(url, sheet: sheet) { record in try emit((record, scorer.score(record.input))) } },
                student: { $0.0.student }, remarks: { $0.1.findings }
            ) { (item: (record: FitnessRecord, score: FitnessScore), studentID, schoolID, rows) in
                try rows.save(
                    table: "fitness_result", key: [("term_id", term.description.databaseValue), ("student_id", studentID.databaseValue), ("round", "正式".databaseValue)],
                    inputs: FitnessRow.inputs(item.record, score: item.score, schoolID: schoolID), derived: FitnessRow.derived(item.record, score: item.score))
            }
        }
    }
}

/// The columns of a fitness row: the inputs (which decide whether a re-import changed
/// anything) and the scores derived from them.
enum FitnessRow {

    static func inputs(_ record: FitnessRecord, score: FitnessScore, schoolID: Int64) -> [(String, DatabaseValue)] {
        var values: [(String, DatabaseValue)] = [
            ("school_id", schoolID.databaseValue), ("grade_code", score.grade.code.databaseValue),
            ("class_name", record.student.className.databaseValue), ("sex", score.sex.rawValue.databaseValue),
            ("exempt", record.exempt.databaseValue), ("height_cm", record.heightCm.databaseValue), ("weight_kg", record.weightKg.databaseValue),
        ]
        for item in FitnessItem.measured { values.append((item.rawValue, record.results[item].databaseValue)) }
        return values
    }

    static func derived(_ record: FitnessRecord, score: FitnessScore) -> [(String, DatabaseValue)] {
        var values: [(String, DatabaseValue)] = [
            ("raw_texts", jsonObject(record.rawTexts.map { ($0.key, $0.value.databaseValue) }).databaseValue),
            ("status", score.status.rawValue.databaseValue), ("bmi_tenths", score.bmi?.tenths.databaseValue ?? .null),
            ("bmi_category", score.bmi?.category.rawValue.databaseValue ?? .null), ("bmi_score", score.bmi?.score.databaseValue ?? .null),
            ("standard_hundredths", score.standardHundredths.databaseValue), ("bonus", score.bonus.databaseValue),
            ("total_hundredths", score.totalHundredths.databaseValue), ("rating", score.rating?.rawValue.databaseValue ?? .null),
        ]
        for item in FitnessItem.measured { values.append(("\(item.rawValue)_score", score.item(item)?.score.databaseValue ?? .null)) }
        return values
    }
}
