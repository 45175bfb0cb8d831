import Foundation
import GRDB
import Ingest
import Standards

/// `jiance import fitness`: results in the national template, scored by the 2014 standard and
/// stored with their raw values. Students the roster lacks are added with a warning.
public struct FitnessImporter {
    public let database: JianceDatabase
    public let scorer: FitnessScorer

    public init(database: JianceDatabase, scorer: FitnessScorer) {
        self.database = database
        self.scorer = scorer
    }

    public func importFile(_ url: URL, term: Term, mode: ImportMode = .keepValid, defaultSchool: String? = nil, sheet: String? = nil) throws -> ImportOutcome {
        try ImportRunner(database: database).run(kind: "fitness", file: url, term: term, mode: mode) { db, batch, counts, findings in
            let directory = try StudentDirectory(db: db, batch: batch)
            let store = FitnessResultStore(db: db, batch: batch, directory: directory)
            let fileName = url.lastPathComponent
            var defaultSchoolID: Int64?
            var addedStudents = 0
            var firstAddedRow: Int?
            let summary = try FitnessReader(term: term).read(url, sheet: sheet) { record in
                // The school: the file's school column, else the student's school in the roster,
                // else --school. The national template has no school column (one file per school).
                var schoolID: Int64?
                if let reference = record.student.school {
                    schoolID = try directory.schoolForRow(reference, origin: "result-file") { message in
                        findings.append(Finding(.warning, message, file: fileName, row: record.row, value: reference))
                    }
                }
                var studentID = try directory.findStudent(record.student, schoolID: schoolID)
                if schoolID == nil, let studentID { schoolID = try directory.schoolOfStudent(id: studentID, term: term) }
                if schoolID == nil, let defaultSchool {
                    if defaultSchoolID == nil {
                        defaultSchoolID = try directory.schoolForRow(defaultSchool, origin: "option") { message in
                            findings.append(Finding(.warning, message, file: fileName, value: defaultSchool))
                        }
                    }
                    schoolID = defaultSchoolID
                }
                guard let school = schoolID else {
                    counts.rejected += 1
                    findings.append(Finding(.error, "无法确定学生所属学校：文件没有学校列，名册中也没有此学生；请用 --school 指定", file: fileName, row: record.row, column: "学籍号", value: record.student.studentNo))
                    return
                }
                if studentID == nil {
                    studentID = try directory.addStudentFromResult(record.student, schoolID: school)
                    addedStudents += 1
                    if firstAddedRow == nil { firstAddedRow = record.row }
                }
                guard let studentID else { return }
                let score = scorer.score(record.input)
                findings.append(contentsOf: score.findings.map { finding in
                    var located = finding
                    located.file = fileName
                    located.row = record.row
                    return located
                })
                counts.accept(try store.save(record, score: score, studentID: studentID, schoolID: school, term: term))
            }
            if addedStudents > 0 {
                findings.append(Finding(.warning, "\(addedStudents) 名学生不在名册中，已按成绩文件添加（首个在第 \(firstAddedRow ?? 0) 行）；请导入学籍名册以核对", file: fileName))
            }
            counts.read += summary.rowsRead
            counts.rejected += summary.rowsRejected
            findings = summary.findings + findings
        }
    }
}

/// Writes fitness rows: insert, or update with the previous values kept in history.
struct FitnessResultStore {
    let db: Database
    let batch: Int64
    let directory: StudentDirectory
    static let items = FitnessItem.allCases.filter { $0 != .bmi }

    func save(_ record: FitnessRecord, score: FitnessScore, studentID: Int64, schoolID: Int64, term: Term) throws -> RowChange {
        var values: [(String, DatabaseValue)] = [
            ("school_id", schoolID.databaseValue), ("grade_code", score.grade.code.databaseValue),
            ("class_name", record.student.className.databaseValue), ("sex", score.sex.rawValue.databaseValue),
            ("exempt", record.exempt.databaseValue), ("height_cm", record.heightCm.databaseValue), ("weight_kg", record.weightKg.databaseValue),
        ]
        for item in FitnessResultStore.items { values.append((item.rawValue, record.results[item].databaseValue)) }
        // Inputs decide whether the row changed; scores follow from them.
        let inputs = values
        values.append(("raw_texts", jsonObject(record.rawTexts.map { ($0.key, $0.value.databaseValue) }).databaseValue))
        values += [
            ("status", score.status.rawValue.databaseValue), ("bmi_tenths", score.bmi?.tenths.databaseValue ?? .null),
            ("bmi_category", score.bmi?.category.rawValue.databaseValue ?? .null), ("bmi_score", score.bmi?.score.databaseValue ?? .null),
            ("standard_hundredths", score.standardHundredths.databaseValue), ("bonus", score.bonus.databaseValue),
            ("total_hundredths", score.totalHundredths.databaseValue), ("rating", score.rating?.rawValue.databaseValue ?? .null),
        ]
        for item in FitnessResultStore.items { values.append(("\(item.rawValue)_score", score.item(item)?.score.databaseValue ?? .null)) }
        values.append(("batch_id", batch.databaseValue))

        let columns = inputs.map(\.0)
        if let old = try Row.fetchOne(db.cachedStatement(sql: "SELECT id, \(columns.joined(separator: ", ")) FROM fitness_result WHERE term_id = ? AND student_id = ? AND round = '正式'"),
                                      arguments: [term.description, studentID]) {
            let changed = inputs.filter { old[$0.0] as DatabaseValue != $0.1 }
            guard !changed.isEmpty else { return .unchanged }
            let id: Int64 = old["id"]
            try directory.recordHistory(table: "fitness_result", key: String(id), old: changed.map { ($0.0, old[$0.0] as DatabaseValue) }, new: changed)
            let assignments = values.map { "\($0.0) = ?" }.joined(separator: ", ")
            try db.execute(sql: "UPDATE fitness_result SET \(assignments) WHERE id = ?", arguments: StatementArguments(values.map(\.1) + [id.databaseValue]))
            return .updated
        }
        let allColumns = ["term_id", "student_id"] + values.map(\.0)
        let placeholders = Array(repeating: "?", count: allColumns.count).joined(separator: ", ")
        try db.cachedStatement(sql: "INSERT INTO fitness_result (\(allColumns.joined(separator: ", "))) VALUES (\(placeholders))")
            .execute(arguments: StatementArguments([term.description.databaseValue, studentID.databaseValue] + values.map(\.1)))
        return .inserted
    }
}
