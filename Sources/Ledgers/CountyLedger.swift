import Foundation
import Indicators
import Reports
import Standards
import Store

/// The county workbook (县级汇总与自评): a printable summary of the self-assessment for
/// 县域义务教育优质均衡发展督导评估, then one sheet per dimension (resources, academic quality,
/// fitness, vision, psychology) with each figure traceable to its inputs. It holds no personal data.
public struct CountyLedger {
    public var assessment: CountyAssessment

    public var term: Term { assessment.term }

    /// The workbook of an assessment already built (e.g. the one `jiance report` printed).
    public init(assessment: CountyAssessment) {
        self.assessment = assessment
    }

    public var fileName: String { "县级汇总与自评_\(term).xlsx" }

    public func write(to url: URL) throws {
        let workbook = try XlsxWorkbook(path: url.path)
        try AssessmentSheets.writeSummary(workbook, assessment)
        if let resources = assessment.resources { try AssessmentSheets.writeResources(workbook, resources) }
        if let academic = assessment.academic { try AssessmentSheets.writeAcademic(workbook, academic) }
        if let fitness = assessment.fitness { try writeFitness(workbook, report: fitness) }
        if let vision = assessment.vision { try writeVision(workbook, report: vision) }
        if let psych = assessment.psych { try AssessmentSheets.writePsych(workbook, psych) }
        try workbook.close()
    }

    /// 视力: one row per school with 近视率 against last year's same season, and a chart.
    private func writeVision(_ workbook: XlsxWorkbook, report: VisionReport) throws {
        let sheet = try workbook.addSheet("视力")
        let headers = [
            "序号", "学校", "学校标识码", "学段", "城乡", "在籍", "建档率", "筛查", "无法判定", "近视率", "去年同季近视率", "下降(百分点)",
            "年度目标", "视力不良率", "新发近视率",
        ]
        try sheet.title(0, "学生视力筛查 各校近视率及年度变化（\(report.term.label) 初筛）", columns: 12)
        try sheet.note(
            1,
            report.settings.description + "；目标：每年下降 ≥ \(report.target.dropPerYearPP) 个百分点（与去年同季比较）。按近视率从高到低排列，仅供内部跟踪。")
        let headerRow = 2
        try sheet.writeRow(headerRow, headers.map(CellValue.text), style: .header)
        var row = headerRow
        func line(_ l: VisionReport.Line, number: Int?, bold: Bool) throws {
            row += 1
            let text = CellStyle(bold: bold)
            let percent = CellStyle(bold: bold, numberFormat: "0.0%")
            try sheet.writeRow(
                row,
                [
                    .optional(number), .text(l.name), .optional(l.school?.code), .optional(l.school?.stage?.rawValue),
                    .optional(l.school?.locality?.rawValue), l.enrolled > 0 ? .number(Double(l.enrolled)) : .blank,
                ], style: text)
            try sheet.write(row, 6, l.enrolled > 0 ? .optional(l.coverage.value) : .blank, style: percent)
            try sheet.writeRow(
                row, [.number(Double(l.summary.screened)), .number(Double(l.summary.undetermined))], style: text,
                from: 7)
            try sheet.writeRow(
                row, [.optional(l.summary.myopiaRate.value), .optional(l.yearly?.earlier.value)], style: percent,
                from: 9)
            try sheet.write(
                row, 11, .optional(l.yearly?.dropPP.map { ($0 * 10).rounded() / 10 }),
                style: CellStyle(bold: bold, numberFormat: "+0.0;-0.0;0.0"))
            let meets = l.yearly?.meets
            try sheet.write(
                row, 12, .text(Verdict.label(meets)),
                style: meets == false ? FitnessSheets.failingStyle : text)
            try sheet.writeRow(
                row, [.optional(l.summary.lowVisionRate.value), .optional(l.newMyopia.value)], style: percent, from: 13)
        }
        try line(report.county, number: nil, bold: true)
        for stage in report.stages { try line(stage, number: nil, bold: true) }
        let firstSchoolRow = row + 1
        for (index, school) in report.schools.enumerated() { try line(school, number: index + 1, bold: false) }
        sheet.freeze(row: headerRow + 1, column: 2)
        try sheet.autofilter(headerRow: headerRow, lastRow: row, lastColumn: headers.count - 1)
        try sheet.printSetup(headerRow: headerRow, title: "各校近视率及年度变化")
        var series: [(name: String, column: Int, color: UInt32, outlineOnly: Bool)] = [
            ("\(report.term.schoolYear) 近视率", 9, 0x4472C4, false)
        ]
        if let previous = report.previousTerm { series.append(("\(previous.schoolYear) 同季", 10, 0xA5A5A5, true)) }
        try sheet.insertColumnChart(
            title: "各校近视率（\(report.term.label)）", at: (row + 2, 0), categoryColumn: 1, firstRow: firstSchoolRow,
            lastRow: row,
            series: series, percentAxis: true)
    }

    private func writeFitness(_ workbook: XlsxWorkbook, report: FitnessReport) throws {
        let sheet = try workbook.addSheet("体质健康")
        let t = report.targets
        let headers = [
            "序号", "学校", "学校标识码", "学段", "城乡", "在籍", "测试", "免测", "不完整", "优秀率", "优良率", "优良率目标", "优良率达标",
            "及格率", "及格率目标", "及格率达标", "不及格人数", "肥胖率",
        ]
        try sheet.title(0, "国家学生体质健康标准测试 各校目标达成情况（\(report.term.label)）", columns: 12)
        try sheet.note(1, "按优良率从高到低排列。优良率=(优秀+良好)/测试人数，及格率=(优秀+良好+及格)/测试人数；免测与测试不完整者另计。仅供教育局内部跟踪，不对外公布排名。")
        let headerRow = 2
        try sheet.writeRow(headerRow, headers.map(CellValue.text), style: .header)
        var row = headerRow + 1
        try line(
            sheet, report: report, row: row, number: nil, name: "全县", code: nil, stage: nil, locality: nil,
            enrolled: report.enrolled, summary: report.county, bold: true)
        for (stage, summary) in report.stages {
            row += 1
            try line(
                sheet, report: report, row: row, number: nil, name: "全县\(stage)", code: nil, stage: stage,
                locality: nil, enrolled: nil, summary: summary, bold: true)
        }
        let firstSchoolRow = row + 1
        for (index, school) in report.schools.reversed().enumerated() {
            row += 1
            try line(
                sheet, report: report, row: row, number: index + 1, name: school.school.name, code: school.school.code,
                stage: school.school.stage?.rawValue,
                locality: school.school.locality?.rawValue, enrolled: school.enrolled, summary: school.summary,
                bold: false)
        }
        sheet.freeze(row: headerRow + 1, column: 2)
        try sheet.autofilter(headerRow: headerRow, lastRow: row, lastColumn: headers.count - 1)
        try sheet.printSetup(headerRow: headerRow, title: "各校体质健康目标达成情况")
        try sheet.insertColumnChart(
            title: "各校优良率与目标（\(report.term.label)）", at: (row + 2, 0), categoryColumn: 1, firstRow: firstSchoolRow,
            lastRow: row,
            series: [("优良率", 10, 0x4472C4, false), ("目标 \(Rate.percentText(t.goodOrBetter))", 11, 0xC00000, true)],
            percentAxis: true)
    }

    private func line(
        _ sheet: XlsxSheet, report: FitnessReport, row: Int, number: Int?, name: String, code: String?, stage: String?,
        locality: String?,
        enrolled: Int?, summary s: FitnessSummary, bold: Bool
    ) throws {
        let meets = s.meets(report.targets)
        let text = CellStyle(bold: bold)
        let percent = CellStyle(bold: bold, numberFormat: "0.0%")
        var miss = FitnessSheets.failingStyle
        miss.bold = bold
        func flag(_ value: Bool?) -> CellValue { .text(Verdict.label(value)) }
        try sheet.writeRow(
            row,
            [
                .optional(number), .text(name), .optional(code), .optional(stage), .optional(locality),
                .optional(enrolled),
                .number(Double(s.tested)), .number(Double(s.exempt)), .number(Double(s.incomplete)),
            ], style: text)
        try sheet.writeRow(
            row,
            [
                .optional(s.excellentRate.value), .optional(s.goodOrBetterRate.value),
                .number(report.targets.goodOrBetter),
            ], style: percent, from: 9)
        try sheet.write(row, 12, flag(meets.goodOrBetter), style: meets.goodOrBetter == false ? miss : text)
        try sheet.writeRow(
            row, [.optional(s.passingRate.value), .number(report.targets.passing)], style: percent, from: 13)
        try sheet.write(row, 15, flag(meets.passing), style: meets.passing == false ? miss : text)
        try sheet.write(row, 16, .number(Double(s.count(.fail))), style: text)
        try sheet.write(row, 17, .optional(s.bmiShare(.obese).value), style: percent)
    }
}
