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
                        try emit(ResultRow(fitness: record, score: scorer.score(record.input)))
                    }
                },
                student: { $0.student }, remarks: { $0.remarks }
            ) { row, studentID, schoolID, rows in
                try row.save(
                    in: rows, table: "fitness_result",
                    key: [("term_id", termValue), ("student_id", studentID.databaseValue), ("round", roundValue)],
                    school: schoolID)
            }
        }
    }
}

extension ResultRow {
    /// A fitness row: the measurements and the scores derived from them. The remarks add where
    /// the file's own total or rating disagrees; a row with no measurement and no exemption is blank.
    init(fitness record: FitnessRecord, score: FitnessScore) {
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
        for (item, column) in Self.fitnessScoreColumns {
            derived.append((column, score.item(item)?.score.databaseValue ?? .null))
        }
        self.init(
            student: record.student,
            remarks: score.findings + [record.claimed.disagreement(with: score)].compactMap { $0 },
            inputs: inputs, derived: derived,
            isBlank: !record.exempt && record.heightCm == nil && record.weightKg == nil && record.results.isEmpty,
            // A student now exempt (免测) has no measurement by right: the exemption replaces them.
            measured: record.exempt ? [] : Self.fitnessMeasured)
    }

    /// 身高, 体重 and each item: what a blank cell must not erase.
    private static let fitnessMeasured =
        [MeasuredColumns("身高", ["height_cm"]), MeasuredColumns("体重", ["weight_kg"])]
        + FitnessItem.measured.map { MeasuredColumns($0.label, [$0.rawValue]) }

    /// `vital_capacity_score` …, named once rather than on every row.
    private static let fitnessScoreColumns = FitnessItem.measured.map { ($0, "\($0.rawValue)_score") }
}
