import Foundation
import Standards
import Store

/// Writes the per-school workbooks of a term into a folder and audits named exports.
public struct LedgerExporter {
    public let database: JianceDatabase
    public var personalData: PersonalDataMode

    public init(database: JianceDatabase, personalData: PersonalDataMode = .masked) {
        self.database = database
        self.personalData = personalData
    }

    /// One roster workbook per school with students in `term` (or only `schoolReference`).
    public func exportRosters(term: Term, to folder: URL, school schoolReference: String? = nil) throws -> [URL] {
        let queries = RosterQueries(database: database)
        var schools = try queries.schools()
        if let schoolReference {
            schools = schools.filter { $0.name == schoolReference || $0.code == schoolReference }
            guard !schools.isEmpty else { throw XlsxError(message: "数据库中没有学校“\(schoolReference)”", context: "导出名册") }
        }
        var written: [URL] = []
        for school in schools {
            let students = try queries.enrolledStudents(term: term, schoolID: school.id)
            guard !students.isEmpty else { continue }
            let ledger = RosterLedger(school: school, term: term, students: students, personalData: personalData)
            let url = folder.appendingPathComponent(ledger.fileName)
            try ledger.write(to: url)
            if personalData == .named {
                try AuditLog.record(database, action: "export-named-roster", target: url.lastPathComponent,
                                    detail: "导出未脱敏学生名册：\(school.name)，\(term)，\(students.count) 人")
            }
            written.append(url)
        }
        return written
    }
}
