import Foundation
import Ingest
import Ledgers
import Reports
import Standards
import Store

extension ExportService {
    /// `jiance export notices fitness`: one school's notices for a term (optionally one class),
    /// owner-only and audited with the count; nothing is written when no student was tested.
    public func exportFitnessNotices(
        school reference: String, className: String?, term: Term, to folder: URL, date: CalendarDate
    )
        throws -> (url: URL, count: Int)
    {
        let school = try school(reference)
        let queries = FitnessQueries(database: database)
        let results = try filterClass(
            try queries.results(term: term, schoolID: school.id), className: className, grade: \.observation.grade,
            className: \.observation.className)
        guard !results.isEmpty else {
            throw NothingToExport(
                "\(school.name)\(className.map { "班级“\($0)”" } ?? "")在\(term.label)没有体质健康测试结果；请先导入测试成绩，或核对学期与班级")
        }
        let earlier = try queries.earlierYearTotals(studentIDs: results.map(\.observation.studentID), before: term)
        var notices = FitnessNotices(
            school: school, term: term, results: results, earlierTotals: earlier.compactMapValues(\.last), date: date)
        notices.perSheet = settings.noticesPerSheet
        let url = try writeNotices(
            "体质健康测试结果告知书", fileName: notices.fileName, action: "export-fitness-notices", school: school,
            className: className, term: term,
            count: results.count, folder: folder, write: notices.write)
        return (url, results.count)
    }
}
