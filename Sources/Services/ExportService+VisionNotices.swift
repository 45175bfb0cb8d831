import Foundation
import Ledgers
import Reports
import Standards
import Store

extension ExportService {
    /// `jiance export notices vision`: one school's notices for a term (optionally one class),
    /// owner-only and audited with the count; nothing is written when no student was screened.
    public func exportVisionNotices(
        school reference: String, className: String?, term: Term, round: VisionRound = .screening, to folder: URL,
        date: CalendarDate
    ) throws -> (url: URL, count: Int) {
        let school = try school(reference)
        var screenings = try VisionQueries(database: database, settings: settings.vision).screenings(
            term: term, round: round, schoolID: school.id)
        screenings = try filterClass(
            screenings, className: className, grade: \.observation.grade, className: \.observation.className)
        guard !screenings.isEmpty else {
            throw NothingToExport(
                "\(school.name)\(className.map { "班级“\($0)”" } ?? "")在\(term.label)（\(round.rawValue)）没有视力筛查结果；请先导入筛查结果，或核对学期、轮次与班级"
            )
        }
        var notices = VisionNotices(school: school, term: term, round: round, screenings: screenings, date: date)
        notices.referral = settings.referralInstitution
        notices.perSheet = settings.noticesPerSheet
        let url = try writeNotices(
            "视力筛查结果告知书", fileName: notices.fileName, action: "export-vision-notices", school: school,
            className: className, term: term,
            count: screenings.count, folder: folder, write: notices.write)
        return (url, screenings.count)
    }
}
