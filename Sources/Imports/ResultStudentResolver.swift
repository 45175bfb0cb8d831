import Foundation
import GRDB
import Ingest
import Standards
import Store

/// Finds the student and school of a result row (fitness, vision …) inside an import:
/// the school is the file's school column, else the student's school in the roster, else the
/// `--school` option; a student the roster lacks is added from the row, with one warning per file.
final class ResultStudentResolver {
    private let directory: StudentDirectory
    private let term: Term
    private let defaultSchool: String?
    private let fileName: String
    private var defaultSchoolID: Int64?
    private var added = 0
    private var firstAddedRow: Int?
    /// The school of the previous row: a file's rows come school by school, and comparing the
    /// reference with the last one, byte for byte, is cheaper than hashing a Chinese name (or
    /// comparing it by canonical equivalence) for every row.
    private var lastSchool: (reference: String, id: Int64)?

    /// A file over this size (about 8,000 rows) loads the county's 学籍号 into memory first.
    static let preloadBytes = 1 << 20

    init(directory: StudentDirectory, term: Term, defaultSchool: String?, file url: URL) throws {
        self.directory = directory
        self.term = term
        self.defaultSchool = defaultSchool
        fileName = url.lastPathComponent
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.intValue ?? 0
        if size > Self.preloadBytes { try directory.preloadStudents() }
    }

    /// The stored student and school ids, or nil (with an error finding) when the school cannot be known.
    func resolve(_ student: StudentRecord, findings: inout [Finding]) throws -> (student: Int64, school: Int64)? {
        var schoolID: Int64?
        if let reference = student.school {
            if let lastSchool, lastSchool.reference.hasSameUTF8(as: reference) {
                schoolID = lastSchool.id
            } else {
                schoolID = try directory.schoolForRow(reference, origin: "result-file") { severity, message in
                    findings.append(Finding(severity, message, file: fileName, row: student.row, value: reference))
                }
                guard let schoolID else { return nil }
                lastSchool = (reference, schoolID)
            }
        }
        var studentID = try directory.matchStudentRecordingNumber(student, schoolID: schoolID)
        if schoolID == nil, let studentID { schoolID = try directory.schoolOfStudent(id: studentID, term: term) }
        if schoolID == nil, let defaultSchool {
            if defaultSchoolID == nil {
                defaultSchoolID = try directory.schoolForRow(defaultSchool, origin: "option") { severity, message in
                    findings.append(Finding(severity, message, file: fileName, value: defaultSchool))
                }
            }
            schoolID = defaultSchoolID
        }
        guard let school = schoolID else {
            findings.append(
                Finding(
                    .error, "无法确定学生所属学校：文件没有学校列，名册中也没有此学生；请先导入本学期的学籍名册，若文件只属于一所学校，请用 --school 指定", file: fileName,
                    row: student.row,
                    column: student.studentNo == nil ? "姓名" : "学籍号", value: student.studentNo ?? student.name))
            return nil
        }
        // A row with a name only (score-analysis tools write no 学籍号 and no birth date) is
        // matched against the term's roster of the school, by class when given; it never adds a
        // student, since a typo would create one.
        if student.studentNo == nil, student.birthDate == nil {
            let matches = try directory.enrolledStudents(
                named: student.name, schoolID: school, term: term, className: student.className)
            guard matches.count == 1 else {
                let place = student.className.map { "\($0)" } ?? "本校"
                let message =
                    matches.isEmpty
                    ? "\(term.label)的名册中\(place)没有名为“\(student.name)”的学生；请核对姓名，或先导入名册"
                    : "\(place)有 \(matches.count) 名学生叫“\(student.name)”，无法确定是哪一位；请在文件中补上学籍号\(student.className == nil ? "或班级" : "")"
                findings.append(
                    Finding(.error, message, file: fileName, row: student.row, column: "姓名", value: student.name))
                return nil
            }
            return (matches[0], school)
        }
        if studentID == nil {
            studentID = try directory.addStudentFromResult(student, schoolID: school)
            added += 1
            if firstAddedRow == nil { firstAddedRow = student.row }
        }
        guard let studentID else { return nil }
        return (studentID, school)
    }

    /// The file's warning about students added from it.
    func finish(findings: inout [Finding]) {
        if added > 0 {
            findings.append(
                Finding(.warning, "\(added) 名学生不在名册中，已按文件添加（首个在第 \(firstAddedRow ?? 0) 行）；请导入学籍名册以核对", file: fileName))
        }
    }
}
