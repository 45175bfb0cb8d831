import Foundation
import Indicators
import Standards
import Store

/// The county workbook (县级汇总): one row per school with each rate against its target, for
/// the bureau's attention. It holds no personal data.
public struct CountyLedger {
    public var report: FitnessReport
    /// 学段 summaries (小学, 初中 …) of the county.
    public var stages: [(String, FitnessSummary)]

    public init(report: FitnessReport, stages: [(String, FitnessSummary)]) {
        self.report = report
        self.stages = stages
    }

    /// Builds the county workbook's data of `term` from the database.
    public init(database: JianceDatabase, term: Term, targets: FitnessTargets = FitnessTargets()) throws {
        report = try FitnessReport(database: database, term: term, targets: targets)
        let observations = try FitnessQueries(database: database).results(term: term).map(\.observation)
        let byStage = FitnessBreakdown.summaries(observations) { FitnessBreakdown.stage(of: $0.grade) }
        stages = byStage.keys.sorted { ["小学", "初中", "高中", "大学"].firstIndex(of: $0) ?? 9 < ["小学", "初中", "高中", "大学"].firstIndex(of: $1) ?? 9 }.map { ($0, byStage[$0]!) }
    }

    public var fileName: String { "县级汇总_\(report.term).xlsx" }

    public func write(to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let workbook = try XlsxWorkbook(path: url.path)
        try writeFitness(workbook)
        try workbook.close()
    }

    private func writeFitness(_ workbook: XlsxWorkbook) throws {
        let sheet = try workbook.addSheet("体质健康")
        let t = report.targets
        let headers = ["序号", "学校", "学校标识码", "学段", "城乡", "在籍", "测试", "免测", "不完整", "优秀率", "优良率", "优良率目标", "优良率达标",
                       "及格率", "及格率目标", "及格率达标", "不及格人数", "肥胖率"]
        try sheet.title(0, "国家学生体质健康标准测试 各校目标达成情况（\(report.term.label)）", columns: 12)
        try sheet.note(1, "按优良率从高到低排列。优良率=(优秀+良好)/测试人数，及格率=(优秀+良好+及格)/测试人数；免测与测试不完整者另计。仅供教育局内部跟踪，不对外公布排名。")
        let headerRow = 2
        try sheet.writeRow(headerRow, headers.map(CellValue.text), style: .header)
        var row = headerRow + 1
        try line(sheet, row: row, number: nil, name: "全县", code: nil, stage: nil, locality: nil, enrolled: report.enrolled, summary: report.county, bold: true)
        for (stage, summary) in stages {
            row += 1
            try line(sheet, row: row, number: nil, name: "全县\(stage)", code: nil, stage: stage, locality: nil, enrolled: nil, summary: summary, bold: true)
        }
        let firstSchoolRow = row + 1
        for (index, school) in report.schools.reversed().enumerated() {
            row += 1
            try line(sheet, row: row, number: index + 1, name: school.school.name, code: school.school.code, stage: school.school.stage?.rawValue,
                     locality: school.school.locality?.rawValue, enrolled: school.enrolled, summary: school.summary, bold: false)
        }
        sheet.freeze(row: headerRow + 1, column: 2)
        try sheet.autofilter(headerRow: headerRow, lastRow: row, lastColumn: headers.count - 1)
        try sheet.printSetup(headerRow: headerRow, title: "各校体质健康目标达成情况")
        try sheet.insertColumnChart(
            title: "各校优良率与目标（\(report.term.label)）", at: (row + 2, 0), categoryColumn: 1, firstRow: firstSchoolRow, lastRow: row,
            series: [("优良率", 10, 0x4472C4, false), ("目标 \(Rate(Int(t.goodOrBetter * 1000), of: 1000).percentText)", 11, 0xC00000, true)],
            percentAxis: true)
    }

    private func line(_ sheet: XlsxSheet, row: Int, number: Int?, name: String, code: String?, stage: String?, locality: String?,
                      enrolled: Int?, summary s: FitnessSummary, bold: Bool) throws {
        let meets = s.meets(report.targets)
        let text = CellStyle(bold: bold)
        let percent = CellStyle(bold: bold, numberFormat: "0.0%")
        let miss = CellStyle(bold: bold, fontColor: 0x9C0006, fill: 0xFFC7CE)
        func flag(_ value: Bool?) -> CellValue { value.map { .text($0 ? "达标" : "未达标") } ?? .text("—") }
        try sheet.writeRow(row, [
            .optional(number), .text(name), .optional(code), .optional(stage), .optional(locality), .optional(enrolled),
            .number(Double(s.tested)), .number(Double(s.exempt)), .number(Double(s.incomplete)),
        ], style: text)
        try sheet.writeRow(row, [.optional(s.excellentRate.value), .optional(s.goodOrBetterRate.value), .number(report.targets.goodOrBetter)], style: percent, from: 9)
        try sheet.write(row, 12, flag(meets.goodOrBetter), style: meets.goodOrBetter == false ? miss : text)
        try sheet.writeRow(row, [.optional(s.passingRate.value), .number(report.targets.passing)], style: percent, from: 13)
        try sheet.write(row, 15, flag(meets.passing), style: meets.passing == false ? miss : text)
        try sheet.write(row, 16, .number(Double(s.count(.fail))), style: text)
        try sheet.write(row, 17, .optional(s.bmiShare(.obese).value), style: percent)
    }
}
