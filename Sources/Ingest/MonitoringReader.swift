import Foundation
import Standards

/// One line of an official monitoring report (国家义务教育质量监测 county report): a subject
/// and grade with the county's level and 校际差异率.
public struct MonitoringRecord: Sendable, Equatable {
    public var row: Int
    public var year: Int
    public var subject: String
    public var grade: GradeCode
    public var level: AcademicLevel?
    public var difference: Double?
    public var meanScore: Double?
}

/// Reads the official values as the bureau types them from the monitoring report: 年度, 学科,
/// 年级, 学业水平 (Ⅰ–Ⅳ), 校际差异率, and optionally the county mean. They take precedence over
/// local estimates (../shared/reference/academic/RULES.md §1).
public struct MonitoringReader {
    public var limits = ReadLimits()
    /// The year of rows without a 年度 column.
    public var defaultYear: Int?

    public init(defaultYear: Int? = nil) { self.defaultYear = defaultYear }

    static let schema = TableSchema(
        name: "质量监测结果",
        fields: [
            FieldSpec("year", "年度", synonyms: ["监测年度", "年份", "监测年份", "年"]),
            FieldSpec("subject", "学科", synonyms: ["科目", "监测学科", "领域"], required: true),
            FieldSpec("grade", "年级", synonyms: ["监测年级", "年级编号"], required: true),
            FieldSpec("level", "学业水平", synonyms: ["县域水平", "水平", "等级", "水平等级", "县级水平"]),
            FieldSpec("difference", "校际差异率", synonyms: ["校际差异", "差异率", "校间差异率"]),
            FieldSpec("mean", "平均分", synonyms: ["县平均分", "均分", "平均成绩"]),
        ])

    public func read(_ url: URL, sheet: String? = nil, onRecord: (MonitoringRecord) throws -> Void) throws
        -> ReadSummary
    {
        var summary = ReadSummary()
        guard let tables = try openTables(at: url, sheet: sheet, limits: limits, reportingTo: &summary) else {
            return summary
        }
        let schema = MonitoringReader.schema
        func field(_ key: String) -> Int { schema.index(of: key)! }
        for table in tables {
            var findings: [Finding] = []
            var rows: [Finding] = []
            var seen: [String: Int] = [:]
            let failure = try readingTable {
                _ = try SchemaReader().read(table, schema: schema, findings: &findings) { header, row in
                    summary.rowsRead += 1
                    var check = RowFindings(table: table, header: header, row: row)
                    let subjectText = header.value(field("subject"), in: row)
                    let subject = Subject.named(subjectText) ?? subjectText
                    if subject.isEmpty { check.error(field("subject"), "学科为空") }
                    let grade = GradeCode(text: header.value(field("grade"), in: row))
                    if grade == nil { check.error(field("grade"), "无法识别的年级（监测年级通常为四年级、八年级）") }
                    let yearText = header.value(field("year"), in: row)
                    let year =
                        Int(yearText.filter { $0.isASCII && $0.isNumber }.prefix(4))
                        ?? (yearText.isEmpty ? defaultYear : nil)
                    if year.map({ !(2000...2100).contains($0) }) ?? true {
                        check.error(field("year"), yearText.isEmpty ? "没有年度（文件无年度列时请用 --year 指定）" : "无法识别的年度")
                    }
                    let levelText = header.value(field("level"), in: row)
                    let level = AcademicLevel(text: levelText)
                    if !levelText.isEmpty, level == nil { check.error(field("level"), "无法识别的学业水平（应为 Ⅰ、Ⅱ、Ⅲ、Ⅳ）") }
                    let differenceText = header.value(field("difference"), in: row)
                    var difference = ValueParsing.number(differenceText.replacingOccurrences(of: "%", with: ""))
                    if differenceText.hasSuffix("%") { difference = difference.map { $0 / 100 } }
                    if !differenceText.isEmpty, difference.map({ !(0...1).contains($0) }) ?? true {
                        check.error(field("difference"), "校际差异率应为 0–1 之间的小数（如 0.12）")
                    }
                    if levelText.isEmpty && differenceText.isEmpty { check.error(field("level"), "学业水平与校际差异率都为空") }
                    let meanText = header.value(field("mean"), in: row)
                    let mean = ValueParsing.number(meanText)
                    if !meanText.isEmpty, mean == nil { check.warning(field("mean"), "平均分无法识别，已忽略") }
                    if let year, let grade, !check.rejected {
                        let key = "\(year)|\(subject)|\(grade.code)"
                        if let first = seen[key] {
                            check.error(field("subject"), "与第 \(first) 行的年度、学科、年级重复")
                        } else {
                            seen[key] = row.number
                        }
                    }
                    rows.append(contentsOf: check.findings)
                    guard !check.rejected, let year, let grade else {
                        summary.rowsRejected += 1
                        return
                    }
                    try onRecord(
                        MonitoringRecord(
                            row: row.number, year: year, subject: subject, grade: grade, level: level,
                            difference: difference, meanScore: mean))
                }
            }
            summary.findings.append(contentsOf: findings + rows + (failure.map { [$0] } ?? []))
        }
        return summary
    }
}
