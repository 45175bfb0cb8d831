import Foundation
import GRDB
import Ingest
import Standards
import Store

/// `jiance import roster`: school lists and 学籍 student rosters into the database.
public struct RosterImporter {
    public let database: JianceDatabase
    /// The one school an upload may touch (a school account's); nil for any school.
    public var onlySchool: Int64?
    /// Safety limits for reading the files.
    public var limits = ReadLimits()

    public init(database: JianceDatabase) { self.database = database }

    /// Imports one file. `defaultSchool` (`--school`) names the school of student rows whose
    /// file has no school column; a school column in the file wins.
    public func importFile(
        _ url: URL, term: Term, mode: ImportMode = .keepValid, defaultSchool: String? = nil, sheet: String? = nil
    ) throws -> ImportOutcome {
        try ImportTransaction(database: database, onlySchool: onlySchool).run(
            kind: .roster, file: url, term: term, mode: mode
        ) {
            db, batch, counts, findings in
            let directory = try StudentDirectory(db: db, batch: batch)
            let fileName = url.lastPathComponent
            var warnedSchools: Set<String> = []
            var missingSchoolReported = false
            var defaultSchoolID: Int64?
            /// The students of each school this file lists for the term.
            var listed: [Int64: Set<Int64>] = [:]
            var configured = RosterReader(term: term)
            configured.limits = limits
            let reader = configured
            /// One student row: its school (the file's column, else `--school`), the student and the enrolment.
            func importStudent(_ student: StudentRecord) throws {
                let found: Int64?
                if let reference = student.school {
                    found = try directory.schoolForRow(reference, origin: "student-roster") { severity, message in
                        if severity == .error || warnedSchools.insert(reference).inserted {
                            findings.append(
                                Finding(
                                    severity, message, file: fileName, row: student.row, column: "学校", value: reference)
                            )
                        }
                    }
                } else if let defaultSchool {
                    if defaultSchoolID == nil {
                        defaultSchoolID = try directory.schoolForRow(defaultSchool, origin: "option") {
                            severity, message in
                            findings.append(Finding(severity, message, file: fileName, value: defaultSchool))
                        }
                    }
                    found = defaultSchoolID
                } else {
                    counts.rejected += 1
                    if !missingSchoolReported {
                        missingSchoolReported = true
                        findings.append(
                            Finding(
                                .error, "文件没有学校列，也没有用 --school 指定学校：学生无法归属学校，均未导入", file: fileName, row: student.row))
                    }
                    return
                }
                if let onlySchool, let found, found != onlySchool {
                    counts.rejected += 1
                    counts.otherSchools += 1
                    findings.append(
                        Finding(
                            .error, "此行的学生属于其他学校：学校账号只能导入本校的名册", file: fileName, row: student.row, column: "学校",
                            value: student.school))
                    return
                }
                let classProblem = student.className.flatMap(NameCheck.classProblem)
                if let classProblem {
                    findings.append(
                        Finding(
                            .error, classProblem, file: fileName, row: student.row, column: "班级",
                            value: student.className))
                }
                guard let schoolID = found, classProblem == nil else {
                    counts.rejected += 1
                    return
                }
                let (studentID, studentChange) = try directory.upsertStudent(
                    student, schoolID: schoolID, origin: "roster")
                if let earlier = try directory.enrolment(studentID: studentID, term: term), earlier.id != schoolID {
                    findings.append(
                        Finding(
                            .warning, "此学生本学期已在“\(earlier.name)”的名册中，现改为本校（原记录保留在历史中）；如属重复学籍请核查",
                            file: fileName, row: student.row, column: "学籍号", value: student.studentNo))
                }
                let enrolmentChange = try directory.enrol(
                    studentID: studentID, term: term, schoolID: schoolID, grade: student.grade,
                    className: student.className)
                listed[schoolID, default: []].insert(studentID)
                counts.accept(studentChange.merged(enrolmentChange))
            }
            // Read on a second thread while this one writes (`ReadAheadPipeline`), as the result imports do.
            let summary = try ReadAheadPipeline.run(
                produce: { emit in
                    try reader.read(
                        url, sheet: sheet, onSchool: { try emit(.school($0)) }, onStudent: { try emit(.student($0)) })
                },
                consume: { (item: RosterItem) in
                    switch item {
                    case .school(let school):
                        if onlySchool != nil {
                            // The county keeps the school list: a school's account sends its own roster only.
                            findings.append(
                                Finding(
                                    .error, "学校名单由教育局维护，学校账号不能导入或修改；请只上传本校的学籍名册", file: fileName,
                                    row: school.row, column: "学校名称", value: school.name))
                            counts.rejected += 1
                            counts.otherSchools += 1
                        } else if let problem = NameCheck.schoolProblem(school.name) {
                            findings.append(
                                Finding(
                                    .error, problem, file: fileName, row: school.row, column: "学校名称", value: school.name
                                ))
                            counts.rejected += 1
                        } else {
                            counts.accept(try directory.upsertSchool(school))
                        }
                    case .student(let student): try importStudent(student)
                    }
                })
            counts.absorb(summary, findings: &findings)
            try findings.append(contentsOf: Self.enrolledElsewhere(db, term: term, listed: listed, file: fileName))
        }
    }

    /// A warning for each school whose roster for the term, from earlier files, has students
    /// this file leaves out: a corrected roster cannot tell a student who left from one on
    /// another file, and each still counts in the school's enrolment (the denominator of every
    /// rate). Listed schools only; nothing is removed.
    static func enrolledElsewhere(_ db: Database, term: Term, listed: [Int64: Set<Int64>], file: String) throws
        -> [Finding]
    {
        try listed.keys.sorted().compactMap { schoolID in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT e.student_id, s.name AS student, sc.name AS school FROM enrolment e
                    JOIN student s ON s.id = e.student_id JOIN school sc ON sc.id = e.school_id
                    WHERE e.term_id = ? AND e.school_id = ? ORDER BY s.name
                    """, arguments: [term.description, schoolID])
            let others = rows.filter { !(listed[schoolID]?.contains($0["student_id"]) ?? false) }
            guard let school: String = others.first?["school"] else { return nil }
            let names = others.prefix(3).map { Masking.name($0["student"]) }.joined(separator: "、")
            return Finding(
                .warning,
                "“\(school)”\(term.label)的名册中另有 \(others.count) 名学生不在此文件中（如 \(names)\(others.count > 3 ? " 等" : "")），他们仍计入在籍人数（导入名册不会移出学生）；如本校名册分成了几个文件，可忽略此提示",
                file: file)
        }
    }
}

/// One record of a roster file, in file order: a school of the school list or a student.
private enum RosterItem: Sendable {
    case school(SchoolRecord)
    case student(StudentRecord)
}
