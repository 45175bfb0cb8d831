import Foundation
import Ingest
import Ledgers
import Reports
import Standards
import Store

extension ExportService {
    /// `jiance export records`: the health records of the students enrolled at one school in
    /// `term` (optionally one class), masked unless the exporter is named, owner-only and audited
    /// with the count; nothing is written when no student is enrolled.
    public func exportRecords(school reference: String, className: String?, term: Term, to folder: URL) throws -> (
        url: URL, count: Int
    ) {
        let school = try school(reference)
        let students = try filterClass(
            try RosterQueries(database: database).enrolledStudents(term: term, schoolID: school.id),
            className: className, grade: \.grade, className: \.className)
        guard !students.isEmpty else {
            throw NothingToExport(
                "\(school.name)\(className.map { "班级“\($0)”" } ?? "")在\(term.label)没有在籍学生；请先导入名册，或核对学期与班级")
        }
        let histories = try StudentHistory.load(from: database, studentIDs: students.map(\.studentID))
        let records = StudentRecords(
            school: school, term: term,
            students: students.compactMap { student in histories[student.studentID].map { (student, $0) } },
            personalData: personalData)
        let named = personalData == .named
        let url = try writeNotices(
            "学生健康档案", fileName: records.fileName, action: named ? "export-named-records" : "export-records",
            school: school, className: className, term: term, count: records.students.count, named: named,
            folder: folder, write: records.write)
        return (url, records.students.count)
    }
}
