import Foundation
import GRDB
import Ingest
import Standards

/// Finds and updates schools and students inside an import's transaction, keeping the previous
/// values of every change in `history`.
///
/// A student is keyed by 学籍号; without one, by school + name + birth date (DESIGN.md, data
/// model). A school is found by code or by name.
public final class StudentDirectory {
    private let db: Database
    private let batch: Int64
    private var schoolIDs: [String: Int64] = [:]
    /// Every 学籍号 and, by name, the students stored without one: loaded once for a large result
    /// file (`preloadStudents`), so that a new student costs no lookup query.
    private var numbers: GrowingMap<String, Int64>?
    private var unnumbered: [String: [(id: Int64, school: Int64?, birth: CalendarDate?)]] = [:]
    /// Prepared at the first new student and kept: a result file may add every one of its students.
    private var insertStatement: Statement?

    public init(db: Database, batch: Int64) throws {
        self.db = db
        self.batch = batch
        for row in try Row.fetchAll(db, sql: "SELECT id, code, name FROM school") {
            let id: Int64 = row["id"]
            schoolIDs[row["name"]] = id
            if let code: String = row["code"] { schoolIDs[code] = id }
        }
    }

    /// The id of the school named or coded `reference`, nil when unknown.
    public func schoolID(_ reference: String) -> Int64? { schoolIDs[reference] }

    /// Inserts or updates a school from the school list.
    public func upsertSchool(_ record: SchoolRecord) throws -> RowChange {
        let values: [(String, DatabaseValue)] = [
            ("code", record.code.databaseValue), ("name", record.name.databaseValue),
            ("stage", record.stage?.rawValue.databaseValue ?? .null), ("township", record.township.databaseValue),
            ("locality", record.locality?.rawValue.databaseValue ?? .null),
        ]
        let existing = record.code.flatMap { schoolIDs[$0] } ?? schoolIDs[record.name]
        guard let id = existing else {
            try db.execute(
                sql:
                    "INSERT INTO school (code, name, stage, township, locality, origin) VALUES (?, ?, ?, ?, ?, 'school-list')",
                arguments: [
                    record.code, record.name, record.stage?.rawValue, record.township, record.locality?.rawValue,
                ])
            remember(db.lastInsertedRowID, name: record.name, code: record.code)
            return .inserted
        }
        // A blank field in the file never erases a stored value.
        let change = try update(table: "school", id: id, with: values.filter { !$0.1.isNull })
        remember(id, name: record.name, code: record.code)
        return change
    }

    /// The school for `reference`, created (with a warning) when the county list lacks it; nil
    /// (with an error) when the name cannot be a school's (`NameCheck`).
    public func schoolForRow(_ reference: String, origin: String, report: (Finding.Severity, String) -> Void) throws
        -> Int64?
    {
        if let id = schoolIDs[reference] { return id }
        if let problem = NameCheck.schoolProblem(reference) {
            report(.error, problem)
            return nil
        }
        let looksLikeCode = reference.allSatisfy { $0.isASCII && ($0.isNumber || $0.isLetter) }
        try db.execute(
            sql: "INSERT INTO school (code, name, origin) VALUES (?, ?, ?)",
            arguments: [looksLikeCode ? reference : nil, reference, origin])
        let id = db.lastInsertedRowID
        remember(id, name: reference, code: looksLikeCode ? reference : nil)
        report(.warning, "学校“\(reference)”不在学校名单中，已自动添加；请导入学校名单补全学段和城乡类型")
        return id
    }

    /// Inserts or updates a student; returns its id and what changed.
    public func upsertStudent(_ record: StudentRecord, schoolID: Int64, origin: String) throws -> (
        id: Int64, change: RowChange
    ) {
        var existing: Int64?
        if let number = record.studentNo {
            existing = try db.cachedStatement(sql: "SELECT id FROM student WHERE student_no = ?").fetchInt64Binding(
                [number.databaseValue], in: db)
        }
        if existing == nil {
            existing = try db.cachedStatement(
                sql:
                    "SELECT id FROM student WHERE school_id = ? AND name = ? AND birth_date IS ? AND (student_no IS NULL OR ? IS NULL)"
            ).fetchInt64Binding(
                [
                    schoolID.databaseValue, record.name.databaseValue, record.birthDate?.databaseValue ?? .null,
                    record.studentNo?.databaseValue ?? .null,
                ], in: db)
        }
        // A blank field in the file never erases a stored value.
        var values: [(String, DatabaseValue)] = [
            ("name", record.name.databaseValue), ("school_id", schoolID.databaseValue),
        ]
        if let number = record.studentNo { values.append(("student_no", number.databaseValue)) }
        if let sex = record.sex { values.append(("sex", sex.rawValue.databaseValue)) }
        if let birth = record.birthDate { values.append(("birth_date", birth.databaseValue)) }
        if let ethnicity = record.ethnicity { values.append(("ethnicity", ethnicity.databaseValue)) }
        if let grade = record.grade { values.append(("grade_code", grade.code.databaseValue)) }
        if let className = record.className { values.append(("class_name", className.databaseValue)) }
        guard let id = existing else {
            return (try insertStudent(record, schoolID: schoolID, origin: origin), .inserted)
        }
        return (id, try update(table: "student", id: id, with: values))
    }

    private func insertStudent(_ record: StudentRecord, schoolID: Int64, origin: String) throws -> Int64 {
        let insert =
            try insertStatement
            ?? db.makeStatement(
                sql: """
                    INSERT INTO student (student_no, name, sex, birth_date, ethnicity, school_id, grade_code, class_name, origin, batch_id)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
        insertStatement = insert
        // Each optional converted through its wrapped type: `Optional.databaseValue` goes through
        // the protocol's generic witness, which cost a twentieth of a large import's writing.
        try insert.executeBinding(
            [
                record.studentNo?.databaseValue ?? .null, record.name.databaseValue,
                record.sex?.rawValue.databaseValue ?? .null, record.birthDate?.databaseValue ?? .null,
                record.ethnicity?.databaseValue ?? .null, schoolID.databaseValue,
                record.grade?.code.databaseValue ?? .null, record.className?.databaseValue ?? .null,
                origin.databaseValue, batch.databaseValue,
            ], in: db)
        let id = db.lastInsertedRowID
        if numbers != nil {
            if let number = record.studentNo {
                numbers?.updateValue(id, forKey: number)
            } else {
                unnumbered[record.name, default: []].append((id, schoolID, record.birthDate))
            }
        }
        return id
    }

    /// The stored student a result row names, or nil: by 学籍号; else by school + name + birth
    /// date; else, when the school is not known, by name + birth date among students stored
    /// without 学籍号 when exactly one matches (a roster exported before the number was issued).
    /// A 学籍号 the result brings is then recorded for that student, with history: this is a write
    /// as well as a lookup.
    public func matchStudentRecordingNumber(_ record: StudentRecord, schoolID: Int64?) throws -> Int64? {
        if let numbers, let number = record.studentNo {
            if let id = numbers[number] { return id }
            return try claimUnnumbered(record, number: number, schoolID: schoolID)
        }
        if let number = record.studentNo,
            let id = try db.cachedStatement(sql: "SELECT id FROM student WHERE student_no = ?").fetchInt64Binding(
                [number.databaseValue], in: db)
        {
            return id
        }
        var candidates: [Int64]
        if let schoolID {
            candidates = try Int64.fetchAll(
                db.cachedStatement(
                    sql:
                        "SELECT id FROM student WHERE school_id = ? AND name = ? AND (birth_date IS ? OR ? IS NULL) AND (student_no IS NULL OR ? IS NULL)"
                ),
                arguments: [schoolID, record.name, record.birthDate, record.birthDate, record.studentNo])
        } else {
            guard let birth = record.birthDate else { return nil }
            candidates = try Int64.fetchAll(
                db.cachedStatement(
                    sql: "SELECT id FROM student WHERE student_no IS NULL AND name = ? AND birth_date = ?"),
                arguments: [record.name, birth])
        }
        guard candidates.count == 1, let id = candidates.first else { return nil }
        if let number = record.studentNo {
            _ = try update(table: "student", id: id, with: [("student_no", number.databaseValue)])
        }
        return id
    }

    /// The students of `schoolID` enrolled in `term` under `name` (in `className` when given):
    /// how a score sheet with names only is matched.
    public func enrolledStudents(named name: String, schoolID: Int64, term: Term, className: String?) throws -> [Int64]
    {
        try Int64.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT s.id FROM student s JOIN enrolment e ON e.student_id = s.id AND e.term_id = ?
                    WHERE e.school_id = ? AND s.name = ? AND (? IS NULL OR e.class_name = ?)
                    """), arguments: [term.description, schoolID, name, className, className])
    }

    /// Whether `preloadStudents` ran: lookups are then answered from memory.
    public var isPreloaded: Bool { numbers != nil }

    /// Loads every 学籍号 and the students without one, for a large result file:
    /// `matchStudentRecordingNumber` then answers rows that carry a 学籍号 from memory (the same
    /// rules as its queries).
    public func preloadStudents() throws {
        var numbers = GrowingMap<String, Int64>()
        let rows = try Row.fetchCursor(db, sql: "SELECT student_no, id, school_id, name, birth_date FROM student")
        while let row = try rows.next() {
            if let number: String = row[0] {
                numbers.updateValue(row[1], forKey: number)
            } else {
                unnumbered[row[3], default: []].append((row[1], row[2], row[4]))
            }
        }
        self.numbers = numbers
    }

    /// A student stored without 学籍号 whom a row with `number` names (`matchStudentRecordingNumber`'s natural-key
    /// rules, from memory); the number is then recorded for them.
    private func claimUnnumbered(_ record: StudentRecord, number: String, schoolID: Int64?) throws -> Int64? {
        let candidates = (unnumbered[record.name] ?? []).filter { candidate in
            if let schoolID {
                return candidate.school == schoolID && (record.birthDate == nil || candidate.birth == record.birthDate)
            }
            return record.birthDate != nil && candidate.birth == record.birthDate
        }
        guard candidates.count == 1, let id = candidates.first?.id else { return nil }
        _ = try update(table: "student", id: id, with: [("student_no", number.databaseValue)])
        unnumbered[record.name]?.removeAll { $0.id == id }
        numbers?.updateValue(id, forKey: number)
        return id
    }

    /// Adds a student named by a result file that the roster lacks (`matchStudentRecordingNumber` found none).
    public func addStudentFromResult(_ record: StudentRecord, schoolID: Int64) throws -> Int64 {
        try insertStudent(record, schoolID: schoolID, origin: "result-file")
    }

    /// The school a student is enrolled at in `term`, else their last known school.
    public func schoolOfStudent(id: Int64, term: Term) throws -> Int64? {
        try db.cachedStatement(
            sql: """
                SELECT COALESCE(
                    (SELECT e.school_id FROM enrolment e WHERE e.student_id = s.id AND e.term_id = ?),
                    s.school_id)
                FROM student s WHERE s.id = ?
                """
        ).fetchInt64Binding([term.description.databaseValue, id.databaseValue], in: db)
    }

    /// The school a student is already enrolled at in `term`, with its name, if any.
    public func enrolment(studentID: Int64, term: Term) throws -> (id: Int64, name: String)? {
        guard
            let row = try db.cachedStatement(
                sql:
                    "SELECT e.school_id, s.name FROM enrolment e JOIN school s ON s.id = e.school_id WHERE e.term_id = ? AND e.student_id = ?"
            ).fetchFirstRowBinding([term.description.databaseValue, studentID.databaseValue], in: db),
            let id = Int64.fromDatabaseValue(row.values[0]), let name = String.fromDatabaseValue(row.values[1])
        else { return nil }
        return (id, name)
    }

    /// Records the student as enrolled in the term (the denominator of coverage rates).
    public func enrol(studentID: Int64, term: Term, schoolID: Int64, grade: GradeCode?, className: String?) throws
        -> RowChange
    {
        let key = [term.description.databaseValue, studentID.databaseValue]
        let new: [(String, DatabaseValue)] = [
            ("school_id", schoolID.databaseValue), ("grade_code", grade?.code.databaseValue ?? .null),
            ("class_name", className.databaseValue),
        ]
        let select = try db.cachedStatement(sql: "SELECT * FROM enrolment WHERE term_id = ? AND student_id = ?")
        guard let old = try select.fetchFirstRowBinding(key, in: db) else {
            try db.cachedStatement(
                sql:
                    "INSERT INTO enrolment (term_id, student_id, school_id, grade_code, class_name, batch_id) VALUES (?, ?, ?, ?, ?, ?)"
            )
            .executeBinding(key + new.map(\.1) + [batch.databaseValue], in: db)
            return .inserted
        }
        let changed = new.filter { old[$0.0] != $0.1 }
        guard !changed.isEmpty else { return .unchanged }
        try recordHistory(
            table: "enrolment", key: "\(term)/\(studentID)", old: changed.map { ($0.0, old[$0.0]) }, new: changed,
            whole: old)
        try db.cachedStatement(
            sql:
                "UPDATE enrolment SET school_id = ?, grade_code = ?, class_name = ?, batch_id = ? WHERE term_id = ? AND student_id = ?"
        )
        .executeBinding(new.map(\.1) + [batch.databaseValue] + key, in: db)
        return .updated
    }

    /// Updates the changed columns of one row and keeps the replaced values in `history`.
    private func update(table: String, id: Int64, with values: [(String, DatabaseValue)]) throws -> RowChange {
        guard
            let old = try db.cachedStatement(sql: "SELECT * FROM \(table) WHERE id = ?").fetchFirstRowBinding(
                [id.databaseValue], in: db)
        else {
            return .unchanged
        }
        let changed = values.filter { old[$0.0] != $0.1 }
        guard !changed.isEmpty else { return .unchanged }
        try recordHistory(
            table: table, key: String(id), old: changed.map { ($0.0, old[$0.0]) }, new: changed, whole: old)
        let assignments = changed.map { "\($0.0) = ?" }.joined(separator: ", ")
        // Cached: a roster changes the same few columns (grade, class) of every student each year.
        try db.cachedStatement(sql: "UPDATE \(table) SET \(assignments) WHERE id = ?").executeBinding(
            changed.map(\.1) + [id.databaseValue], in: db)
        return .updated
    }

    /// Keeps the replaced values of one row, and the whole row as it was (for `jiance undo`):
    /// `whole` when the caller has just read it, else read here.
    package func recordHistory(
        table: String, key: String, old: [(String, DatabaseValue)], new: [(String, DatabaseValue)],
        whole: StoredRow? = nil
    )
        throws
    {
        let row =
            try whole
            ?? db.cachedStatement(sql: "SELECT * FROM \(table) WHERE \(HistoryKey.condition(table))")
            .fetchFirstRowBinding(HistoryKey.values(table, key), in: db)
        try db.cachedStatement(
            sql:
                "INSERT INTO history (table_name, row_key, batch_id, changed_at, old_values, new_values, old_row) VALUES (?, ?, ?, ?, ?, ?, ?)"
        )
        .executeBinding(
            [
                table.databaseValue, key.databaseValue, batch.databaseValue, Timestamp.now().databaseValue,
                jsonObject(old).databaseValue, jsonObject(new).databaseValue,
                row.map { jsonObject($0).databaseValue } ?? .null,
            ], in: db)
    }

    private func remember(_ id: Int64, name: String, code: String?) {
        schoolIDs[name] = id
        if let code { schoolIDs[code] = id }
    }
}

/// How `history.row_key` names a row: its id, or `学期/学生id` for an enrolment (which has no id).
package enum HistoryKey {
    package static func condition(_ table: String) -> String {
        table == "enrolment" ? "term_id = ? AND student_id = ?" : "id = ?"
    }

    package static func values(_ table: String, _ key: String) -> [DatabaseValue] {
        guard table == "enrolment", let slash = key.lastIndex(of: "/") else { return [key.databaseValue] }
        return [String(key[..<slash]).databaseValue, String(key[key.index(after: slash)...]).databaseValue]
    }

    package static func arguments(_ table: String, _ key: String) -> StatementArguments {
        StatementArguments(values(table, key))
    }
}
