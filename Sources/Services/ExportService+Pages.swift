import Foundation
import Ledgers
import Standards
import Store

extension ExportService {
    /// Writes one workbook of printed pages (the class, when one was asked for, in its name) and
    /// records the export in the audit log: notices carry children's names, and records carry
    /// their health whether or not the names are masked.
    func writeNotices(
        _ title: String, fileName: String, action: String, school: SchoolInfo, className: String?, term: Term,
        count: Int, named: Bool = true, folder: URL, write: (URL) throws -> Void
    ) throws -> URL {
        let url = folder.appendingPathComponent(
            className.map { fileName.replacingOccurrences(of: ".xlsx", with: "_\(safeFileName($0)).xlsx") } ?? fileName)
        try write(url)
        try AuditLog.record(
            database, action: action, target: url.lastPathComponent,
            detail:
                "导出\(title)（\(named ? "含姓名" : "已脱敏")）：\(school.name)\(className.map { " \($0)" } ?? "")，\(term.label)，\(count) 份"
        )
        return url
    }
}

/// Keeps the rows of one class: `三年级2班`, `3年级(2)班`, `2班` or a 班级编号 (`1302`), spelled
/// as the roster spells classes; a bare `2班` found in several grades asks for the grade.
func filterClass<Item>(
    _ items: [Item], className wanted: String?, grade: (Item) -> GradeCode?, className: (Item) -> String?
) throws -> [Item] {
    guard let wanted else { return items }
    let kept = items.filter { className($0) == ClassName.normalize(wanted, grade: grade($0)) }
    let grades = Set(kept.compactMap(grade)).sorted { $0.code < $1.code }
    if grades.count > 1 {
        throw NothingToExport(
            "班级“\(wanted)”在\(grades.map(\.label).joined(separator: "、"))都有；请写明年级，如 --class \(grades[0].label)\(kept.first.flatMap(className) ?? "")"
        )
    }
    if kept.isEmpty, !items.isEmpty {
        // A class that is not there is named as such, with the classes that are (not "no results").
        var seen = Set<String>()
        let classes = items.sorted { (grade($0)?.code ?? 0) < (grade($1)?.code ?? 0) }.compactMap { item in
            className(item).map { (grade(item)?.label ?? "") + $0 }
        }.filter { seen.insert($0).inserted }
        let shown = classes.prefix(40).joined(separator: "、") + (classes.count > 40 ? " 等 \(classes.count) 个" : "")
        throw NothingToExport("没有班级“\(wanted)”；本学期的班级有：\(shown)")
    }
    return kept
}
