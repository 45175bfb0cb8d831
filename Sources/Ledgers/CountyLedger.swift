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

    /// The columns that name a line of the county's sheets: the county, a 学段 or a school.
    enum SchoolColumn: Hashable {
        case number, school, code, stage, locality, enrolled
    }

    static func schoolColumns<Key: Hashable & Sendable>(_ key: (SchoolColumn) -> Key) -> [SheetColumns<Key>.Column] {
        [
            .init(key(.number), "序号"), .init(key(.school), "学校"), .init(key(.code), "学校标识码"),
            .init(key(.stage), "学段"), .init(key(.locality), "城乡"), .init(key(.enrolled), "在籍"),
        ]
    }

    enum VisionColumn: Hashable {
        case school(SchoolColumn)
        case coverage, screened, undetermined, myopiaRate, lastYear, drop, meets, lowVisionRate, newMyopia
    }

    static let visionColumns = SheetColumns<VisionColumn>(
        schoolColumns(VisionColumn.school) + [
            .init(.coverage, "建档率", style: .percent), .init(.screened, "筛查"), .init(.undetermined, "无法判定"),
            .init(.myopiaRate, "近视率", style: .percent), .init(.lastYear, "去年同季近视率", style: .percent),
            .init(.drop, "下降(百分点)", style: CellStyle(numberFormat: VisionSheets.dropFormat)),
            .init(.meets, "年度目标"), .init(.lowVisionRate, "视力不良率", style: .percent),
            .init(.newMyopia, "新发近视率", style: .percent),
        ])

    /// 视力: one row per school with 近视率 against last year's same season, and a chart.
    private func writeVision(_ workbook: XlsxWorkbook, report: VisionReport) throws {
        let sheet = try workbook.addSheet("视力")
        let columns = Self.visionColumns
        try sheet.title(
            0, "学生视力筛查 各校近视率及年度变化（\(report.term.label) 初筛）", columns: columns.titleSpan(atMost: wideTitleSpan))
        try sheet.note(
            1,
            report.settings.description + "；目标：每年下降 ≥ \(report.target.dropPerYearPP) 个百分点（与去年同季比较）。按近视率从高到低排列，仅供内部跟踪。")
        let table = try columns.table(on: sheet, headerRow: 2)
        var row = table.headerRow
        func line(_ l: VisionReport.Line, number: Int?, bold: Bool) throws {
            row += 1
            let meets = l.yearly?.meets
            try table.write(
                row,
                [
                    .optional(number), .text(l.name), .optional(l.school?.code), .optional(l.school?.stage?.rawValue),
                    .optional(l.school?.locality?.rawValue), l.enrolled > 0 ? .number(Double(l.enrolled)) : .blank,
                    l.enrolled > 0 ? .optional(l.coverage.value) : .blank, .number(Double(l.summary.screened)),
                    .number(Double(l.summary.undetermined)), .optional(l.summary.myopiaRate.value),
                    .optional(l.yearly?.earlier.value), .optional(l.yearly?.dropPP.map { ($0 * 10).rounded() / 10 }),
                    .text(Verdict.label(meets)), .optional(l.summary.lowVisionRate.value),
                    .optional(l.newMyopia.value),
                ], bold: bold, styles: meets == false ? [.meets: FitnessSheets.failingStyle] : [:])
        }
        try line(report.county, number: nil, bold: true)
        for stage in report.stages { try line(stage, number: nil, bold: true) }
        let firstSchoolRow = row + 1
        for (index, school) in report.schools.enumerated() { try line(school, number: index + 1, bold: false) }
        table.freeze(through: .school(.school))
        try table.autofilter(lastRow: row)
        try sheet.printSetup(headerRow: table.headerRow, title: "各校近视率及年度变化")
        var series: [(name: String, key: VisionColumn, color: UInt32, outlineOnly: Bool)] = [
            ("\(report.term.schoolYear) 近视率", .myopiaRate, 0x4472C4, false)
        ]
        if let previous = report.previousTerm {
            series.append(("\(previous.schoolYear) 同季", .lastYear, 0xA5A5A5, true))
        }
        try table.columnChart(
            title: "各校近视率（\(report.term.label)）", at: row + 2, categories: .school(.school), firstRow: firstSchoolRow,
            lastRow: row, series: series, percentAxis: true)
    }

    enum FitnessColumn: Hashable {
        case school(SchoolColumn)
        case tested, exempt, incomplete
        case rate(FitnessRateColumn)
        case failing, obese
    }

    static let fitnessColumns = SheetColumns<FitnessColumn>(
        schoolColumns(FitnessColumn.school)
            + [.init(.tested, "测试"), .init(.exempt, "免测"), .init(.incomplete, "不完整")]
            + FitnessRateColumn.columns(FitnessColumn.rate)
            + [.init(.failing, "不及格人数"), .init(.obese, "肥胖率", style: .percent)])

    private func writeFitness(_ workbook: XlsxWorkbook, report: FitnessReport) throws {
        let sheet = try workbook.addSheet("体质健康")
        let t = report.targets
        let columns = Self.fitnessColumns
        try sheet.title(
            0, "国家学生体质健康标准测试 各校目标达成情况（\(report.term.label)）", columns: columns.titleSpan(atMost: wideTitleSpan))
        try sheet.note(1, "按优良率从高到低排列。优良率=(优秀+良好)/测试人数，及格率=(优秀+良好+及格)/测试人数；免测与测试不完整者另计。仅供教育局内部跟踪，不对外公布排名。")
        let table = try columns.table(on: sheet, headerRow: 2)
        var row = table.firstRow
        try line(
            table, report: report, row: row, number: nil, name: "全县", code: nil, stage: nil, locality: nil,
            enrolled: report.enrolled, summary: report.county, bold: true)
        for (stage, summary) in report.stages {
            row += 1
            try line(
                table, report: report, row: row, number: nil, name: "全县\(stage)", code: nil, stage: stage,
                locality: nil, enrolled: nil, summary: summary, bold: true)
        }
        let firstSchoolRow = row + 1
        for (index, school) in report.schools.reversed().enumerated() {
            row += 1
            try line(
                table, report: report, row: row, number: index + 1, name: school.school.name, code: school.school.code,
                stage: school.school.stage?.rawValue,
                locality: school.school.locality?.rawValue, enrolled: school.enrolled, summary: school.summary,
                bold: false)
        }
        table.freeze(through: .school(.school))
        try table.autofilter(lastRow: row)
        try sheet.printSetup(headerRow: table.headerRow, title: "各校体质健康目标达成情况")
        try table.columnChart(
            title: "各校优良率与目标（\(report.term.label)）", at: row + 2, categories: .school(.school),
            firstRow: firstSchoolRow, lastRow: row,
            series: [
                ("优良率", .rate(.goodOrBetter), 0x4472C4, false),
                ("目标 \(Rate.percentText(t.goodOrBetter))", .rate(.goodOrBetterTarget), 0xC00000, true),
            ],
            percentAxis: true)
    }

    private func line(
        _ table: SheetTable<FitnessColumn>, report: FitnessReport, row: Int, number: Int?, name: String, code: String?,
        stage: String?, locality: String?, enrolled: Int?, summary s: FitnessSummary, bold: Bool
    ) throws {
        var miss = FitnessSheets.failingStyle
        miss.bold = bold
        try table.write(
            row,
            [
                .optional(number), .text(name), .optional(code), .optional(stage), .optional(locality),
                .optional(enrolled), .number(Double(s.tested)), .number(Double(s.exempt)),
                .number(Double(s.incomplete)),
            ] + FitnessRateColumn.cells(s, targets: report.targets)
                + [.number(Double(s.count(.fail))), .optional(s.bmiShare(.obese).value)],
            bold: bold, styles: FitnessRateColumn.missed(s, targets: report.targets, style: miss, FitnessColumn.rate))
    }
}
