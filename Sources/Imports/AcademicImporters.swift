import Foundation
import GRDB
import Indicators
import Ingest
import Standards
import Store

/// `jiance import academic`: an exam's marks, one row per student and subject, with history on
/// correction. The exam name separates exams of one term (期中, 期末, 质量抽测 …).
public struct AcademicImporter {
    public let database: JianceDatabase
    /// The one school an upload may touch (a school account's); nil for any school.
    public var onlySchool: Int64?
    public let settings: AcademicSettings
    public var limits = ReadLimits()

    public init(database: JianceDatabase, settings: AcademicSettings = AcademicSettings()) {
        self.database = database
        self.settings = settings
    }

    public func importFile(
        _ url: URL, term: Term, exam: String, mode: ImportMode = .keepValid, defaultSchool: String? = nil,
        sheet: String? = nil
    ) throws -> ImportOutcome {
        try ImportTransaction(database: database, onlySchool: onlySchool).run(
            kind: .academic(exam: exam), file: url, term: term, mode: mode
        ) {
            db, batch, counts, findings in
            let settings = settings
            var configured = AcademicReader(term: term) { settings.fullMark(subject: $0, grade: $1) }
            configured.limits = limits
            let reader = configured
            // A score sheet with names only (no 年级 column) takes each student's grade and class
            // from this term's roster: a mark without a grade counts in no report.
            let enrolment = try db.makeStatement(
                sql: "SELECT grade_code, class_name FROM enrolment WHERE term_id = ? AND student_id = ?")
            var withoutGrade: [Int] = []
            try StudentResultImport(
                db: db, batch: batch, file: url, term: term, defaultSchool: defaultSchool, onlySchool: onlySchool
            ).run(
                counts: &counts, findings: &findings,
                produce: { emit in try reader.read(url, sheet: sheet) { try emit($0) } },
                student: { $0.student }, remarks: { _ in [] }
            ) { (record: AcademicRecord, studentID, schoolID, rows) in
                var grade = record.student.grade?.code
                var className = record.student.className
                if grade == nil,
                    let enrolled = try Row.fetchOne(enrolment, arguments: [term.description, studentID])
                {
                    grade = enrolled["grade_code"]
                    className = className ?? enrolled["class_name"]
                }
                if grade == nil { withoutGrade.append(record.student.row) }
                var change = RowChange.unchanged
                for entry in record.entries {
                    let (status, tenths): (String, Int64?) =
                        switch entry.mark {
                        case .score(let tenths): ("scored", tenths)
                        case .absent: ("absent", nil)
                        case .exempt: ("exempt", nil)
                        }
                    change = change.merged(
                        try rows.save(
                            table: "academic_score",
                            key: [
                                ("term_id", term.description.databaseValue), ("exam", exam.databaseValue),
                                ("student_id", studentID.databaseValue), ("subject", entry.subject.databaseValue),
                            ],
                            inputs: [
                                ("school_id", schoolID.databaseValue),
                                ("grade_code", grade.databaseValue), ("class_name", className.databaseValue),
                                ("status", status.databaseValue),
                                ("score_tenths", tenths.databaseValue), ("full_tenths", entry.fullTenths.databaseValue),
                            ],
                            derived: [("raw_text", entry.text.databaseValue)]))
                }
                return change
            }
            if let first = withoutGrade.first {
                findings.append(
                    Finding(
                        .warning,
                        "\(withoutGrade.count) 名学生的年级未知（文件没有年级列，本学期名册中也没有这些学生），其成绩不计入学业水平与校际差异率；请先导入本学期名册，或在文件中加“年级”列，再重新导入",
                        file: url.lastPathComponent, row: first))
            }
        }
    }
}

/// `jiance import monitoring`: the official monitoring report's values, which take precedence
/// over local estimates in the academic target check.
public struct MonitoringImporter {
    public let database: JianceDatabase
    /// The one school an upload may touch (a school account's); nil for any school.
    public var onlySchool: Int64?
    public var limits = ReadLimits()

    public init(database: JianceDatabase) { self.database = database }

    public func importFile(
        _ url: URL, term: Term, defaultYear: Int?, mode: ImportMode = .keepValid, sheet: String? = nil
    ) throws -> ImportOutcome {
        try ImportTransaction(database: database, onlySchool: onlySchool).run(
            kind: .monitoring, file: url, term: term, mode: mode
        ) {
            db, batch, counts, findings in
            let rows = UpsertWithHistory(db: db, batch: batch, directory: try StudentDirectory(db: db, batch: batch))
            var reader = MonitoringReader(defaultYear: defaultYear)
            reader.limits = limits
            let summary = try reader.read(url, sheet: sheet) { record in
                counts.accept(
                    try rows.save(
                        table: "monitoring_result",
                        key: [
                            ("year", record.year.databaseValue), ("subject", record.subject.databaseValue),
                            ("grade_code", record.grade.code.databaseValue),
                        ],
                        inputs: [
                            ("level", record.level?.rawValue.databaseValue ?? .null),
                            ("difference", record.difference.databaseValue),
                            ("mean_score", record.meanScore.databaseValue),
                        ],
                        derived: []))
            }
            counts.absorb(summary, findings: &findings)
        }
    }
}

/// `jiance import resources --year Y`: school resources per 学段 for a statistics year.
public struct ResourceImporter {
    public let database: JianceDatabase
    /// The one school an upload may touch (a school account's); nil for any school.
    public var onlySchool: Int64?
    public var limits = ReadLimits()

    public init(database: JianceDatabase) { self.database = database }

    /// The batch of a statistics year belongs to that year's autumn term (教育事业统计 is taken in autumn).
    public static func term(ofYear year: Int) -> Term? { Term(startYear: year, semester: 1) }

    public func importFile(_ url: URL, year: Int, mode: ImportMode = .keepValid, sheet: String? = nil) throws
        -> ImportOutcome
    {
        guard let term = ResourceImporter.term(ofYear: year) else { throw ImportYearError(year: year) }
        return try ImportTransaction(database: database, onlySchool: onlySchool).run(
            kind: .resources, file: url, term: term, mode: mode
        ) {
            db, batch, counts, findings in
            let directory = try StudentDirectory(db: db, batch: batch)
            let rows = UpsertWithHistory(db: db, batch: batch, directory: directory)
            var reader = ResourceReader()
            reader.limits = limits
            let summary = try reader.read(url, sheet: sheet) { record in
                let reference = record.code.flatMap { directory.schoolID($0) != nil ? $0 : nil } ?? record.school
                guard
                    let schoolID = try directory.schoolForRow(
                        reference, origin: "resource-file",
                        report: { severity, message in
                            findings.append(
                                Finding(
                                    severity, message, file: url.lastPathComponent, row: record.row, value: reference))
                        })
                else {
                    counts.rejected += 1
                    return
                }
                var inputs: [(String, DatabaseValue)] = [
                    ("kind", record.kind.databaseValue), ("students", record.students.databaseValue),
                ]
                for indicator in ResourceIndicator.allCases {
                    inputs.append((ResourceColumns.column(indicator), record.totals[indicator].databaseValue))
                }
                inputs += [
                    ("classes", record.classes.databaseValue), ("largest_class", record.largestClass.databaseValue),
                    ("teachers", record.teachers.databaseValue),
                ]
                counts.accept(
                    try rows.save(
                        table: "school_resource",
                        key: [
                            ("year", year.databaseValue), ("school_id", schoolID.databaseValue),
                            ("stage", record.stage.rawValue.databaseValue),
                        ],
                        inputs: inputs, derived: []))
            }
            counts.absorb(summary, findings: &findings)
        }
    }
}

/// A statistics year outside the supported range.
public struct ImportYearError: Error, CustomStringConvertible {
    public var year: Int
    public var description: String { "年度 \(year) 无效" }
}
