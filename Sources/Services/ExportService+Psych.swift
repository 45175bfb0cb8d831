import Foundation
import Ledgers
import Reports
import Standards
import Store

extension ExportService {
    /// `jiance export psych`: one school's confidential ledger, audited with who, when, what and how many.
    public func exportPsych(school reference: String, to folder: URL, date: CalendarDate) throws -> URL {
        let school = try school(reference)
        let cases = try PsychQueries(database: database).cases(schoolID: school.id)
        let ledger = PsychLedger(school: school, cases: cases, personalData: personalData, date: date)
        let url = folder.appendingPathComponent(ledger.fileName)
        try ledger.write(to: url)
        try AuditLog.record(
            database, action: personalData == .named ? "export-psych-named" : "export-psych-masked",
            target: url.lastPathComponent,
            detail:
                "导出心理危机干预台账：\(school.name)，案例 \(cases.count) 个，学生 \(Set(cases.map(\.name)).count) 人，\(personalData == .named ? "未脱敏" : "已脱敏")"
        )
        return url
    }
}
