import Foundation
import Indicators
import Reports
import Standards
import Store

/// The self-assessment sheets of the county workbook: 自评汇总 (what a 督导 officer prints),
/// 资源配置, 学业质量 and 心理健康 (counts only).
enum AssessmentSheets {
    static let passStyle = CellStyle(fontColor: 0x006100, fill: 0xC6EFCE)

    static func flag(_ value: Bool?) -> (CellValue, CellStyle) {
        switch value {
        case true?: (.text(Verdict.label(true)), passStyle)
        case false?: (.text(Verdict.label(false)), FitnessSheets.failingStyle)
        case nil: (.text("无数据"), .body)
        }
    }

    enum SummaryColumn: Hashable { case dimension, indicator, value, threshold, verdict, source }

    static let summaryColumns = SheetColumns<SummaryColumn>([
        .init(.dimension, "维度"), .init(.indicator, "指标", width: 56), .init(.value, "实际值"), .init(.threshold, "标准"),
        .init(.verdict, "是否达标"), .init(.source, "数据来源", width: 46),
    ])

    /// 自评汇总: every indicator by dimension with value, threshold, pass and source.
    static func writeSummary(_ workbook: XlsxWorkbook, _ assessment: CountyAssessment) throws {
        let sheet = try workbook.addSheet("自评汇总")
        let columns = summaryColumns
        try sheet.title(0, "县域义务教育优质均衡发展 自评汇总（\(assessment.term.label)）", columns: columns.titleSpan())
        let tally = assessment.tally
        try sheet.note(
            1,
            "达标 \(tally.met) 项，未达标 \(tally.failed) 项，无数据 \(tally.missing) 项。标准依据《县域义务教育优质均衡发展督导评估办法》（教督〔2017〕6号）与县级规划；“预估”为本地考试估算，以国家质量监测报告为准。"
        )
        let table = try columns.table(on: sheet, headerRow: 2)
        var row = table.headerRow
        for item in assessment.items {
            row += 1
            let (verdict, style) = item.judged ? flag(item.passes) : (.text("—"), .body)
            try table.write(
                row,
                [
                    .text(item.dimension), .text(item.name), .text(item.value), .text(item.threshold), verdict,
                    .text(item.source),
                ],
                styles: [.verdict: style])
        }
        table.freeze()
        try sheet.printSetup(headerRow: table.headerRow, title: "县域义务教育优质均衡发展自评汇总")
    }

    enum ResourceColumn: Hashable {
        case school, code, stage, students
        case indicator(ResourceIndicator)
        case metCount, verdict, averageClass, largestClass, classSize, reasons
    }

    static let resourceColumns = SheetColumns<ResourceColumn>(
        [.init(.school, "学校"), .init(.code, "学校标识码"), .init(.stage, "学段"), .init(.students, "在校生")]
            + ResourceIndicator.allCases.map {
                .init(.indicator($0), $0.shortName, style: CellStyle(numberFormat: "0.00"))
            } + [
                .init(.metCount, "达标项数"), .init(.verdict, "是否合格"), .init(.averageClass, "平均班额", style: .decimal1),
                .init(.largestClass, "最大班额"), .init(.classSize, "班额达标"), .init(.reasons, "原因"),
            ])

    enum BalanceColumn: Hashable { case stage, indicator, schools, mean, deviation, cv, limit, meets }

    static let balanceColumns = SheetColumns<BalanceColumn>([
        .init(.stage, "学段"), .init(.indicator, "指标"), .init(.schools, "学校数"),
        .init(.mean, "加权平均", style: CellStyle(numberFormat: "0.0000")),
        .init(.deviation, "标准差", style: CellStyle(numberFormat: "0.0000")),
        .init(.cv, "差异系数", style: CellStyle(numberFormat: "0.000")),
        .init(.limit, "上限", style: CellStyle(numberFormat: "0.00")), .init(.meets, "是否达标"),
    ])

    static let sizeColumns = SheetColumns(headers: ["学校", "学段", "在校生", "上限", "是否达标"])
    static let excludedColumns = SheetColumns(headers: ["学校", "学段", "原因"])

    /// 资源配置: each school part against the seven indicators, the county 差异系数 per 学段,
    /// school sizes, and the schools left out of the evaluation.
    static func writeResources(_ workbook: XlsxWorkbook, _ report: ResourceReport) throws {
        let sheet = try workbook.addSheet("资源配置")
        let indicators = ResourceIndicator.allCases
        let columns = resourceColumns
        try sheet.title(0, "义务教育学校资源配置七项指标（\(report.year) 年度）", columns: columns.titleSpan(atMost: wideTitleSpan))
        try sheet.note(1, "合格：\(ResourceEvaluation.rule)。未达标的指标值标红。差异系数按在校生加权、总体标准差计算，\(ResourceBalance.rule)。")
        let table = try columns.table(on: sheet, headerRow: 2)
        var row = table.headerRow
        for stage in ResourceStage.allCases {
            let parts = report.evaluations(stage)
            guard !parts.isEmpty else { continue }
            row += 1
            try table.write(
                row,
                [.text("\(stage.rawValue)标准"), .blank, .blank, .blank]
                    + indicators.map { .number(Double($0.thresholdHundredths(stage)) / 100) },
                style: CellStyle(bold: true, numberFormat: "0.0#"))
            for evaluation in parts {
                row += 1
                let part = evaluation.part
                let results = indicators.map { indicator in evaluation.results.first { $0.indicator == indicator } }
                var styles: [ResourceColumn: CellStyle] = [:]
                for (indicator, result) in zip(indicators, results) where result?.met == false {
                    var style = FitnessSheets.failingStyle
                    style.numberFormat = "0.00"
                    styles[.indicator(indicator)] = style
                }
                let verdict: (CellValue, CellStyle) =
                    switch evaluation.passes {
                    case true?: (.text("合格"), passStyle)
                    case false?: (.text("不合格"), FitnessSheets.failingStyle)
                    case nil: (.text("缺数据"), .body)
                    }
                styles[.verdict] = verdict.1
                let (classFlag, classStyle) = flag(evaluation.classSizeWithinLimit)
                styles[.classSize] = classStyle
                try table.write(
                    row,
                    [
                        .text(part.school), .optional(part.code), .text(part.stage.rawValue),
                        .number(Double(part.students)),
                    ]
                        + results.map { .optional($0?.value) } + [
                            .number(Double(evaluation.metCount)), verdict.0, .optional(evaluation.averageClassSize),
                            .optional(part.largestClass), classFlag, .text(evaluation.reasons.joined(separator: "；")),
                        ], styles: styles)
            }
        }
        table.freeze(through: .school)
        try table.autofilter(lastRow: row)
        try sheet.printSetup(headerRow: table.headerRow, title: "资源配置七项指标")

        row += 2
        try sheet.heading(row, "县域差异系数（按在校生加权，总体标准差）")
        row += 1
        let balances = try balanceColumns.table(on: sheet, headerRow: row)
        for balance in report.balances {
            row += 1
            let (text, style) = flag(balance.meets)
            try balances.write(
                row,
                [
                    .text(balance.stage.rawValue), .text(balance.indicator.name), .number(Double(balance.schools)),
                    .optional(balance.cv?.mean), .optional(balance.cv?.standardDeviation), .optional(balance.cv?.value),
                    .number(balance.stage.maximumCV), text,
                ], styles: [.meets: style])
        }

        row += 2
        try sheet.heading(row, "学校规模")
        row += 1
        let sizes = try sizeColumns.table(on: sheet, headerRow: row)
        for size in report.sizes {
            row += 1
            let (text, style) = flag(size.withinLimit)
            try sizes.write(
                row,
                [
                    .text(size.school), .optional(size.stage?.rawValue), .number(Double(size.students)),
                    .number(Double(size.limit)), text,
                ], styles: ["是否达标": style])
        }
        if !report.excluded.isEmpty {
            row += 2
            try sheet.heading(row, "不参加评估的学校")
            row += 1
            let excluded = try excludedColumns.table(on: sheet, headerRow: row)
            for school in report.excluded {
                row += 1
                try excluded.write(row, [.text(school.school), .text(school.stage.rawValue), .text(school.reason)])
            }
        }
    }

    enum AcademicColumn: Hashable {
        case grade, subject, full, scored, absent, exempt, mean, meanPercent, band
        case level(AcademicLevel)
        case atLeastThree, estimate, officialYear, officialLevel, officialDifference, adoptedLevel, adoptedDifference
        case meets, source
    }

    enum SchoolAcademicColumn: Hashable {
        case grade, subject, school, scored, absent, mean, meanPercent, band
        case level(AcademicLevel)
    }

    /// 学业质量: the county by grade and subject (level of the weighted mean, distribution,
    /// 校际差异率 official or estimated), then every school.
    static func writeAcademic(_ workbook: XlsxWorkbook, _ report: AcademicReport) throws {
        let sheet = try workbook.addSheet("学业质量")
        let levels = AcademicLevel.allCases.reversed()
        let percent = CellStyle(numberFormat: "0.0%")
        let difference = CellStyle(numberFormat: "0.000")
        let columns = SheetColumns<AcademicColumn>(
            [
                .init(.grade, "年级"), .init(.subject, "学科"), .init(.full, "满分"), .init(.scored, "参考人数"),
                .init(.absent, "缺考"), .init(.exempt, "免考"), .init(.mean, "平均分", style: .decimal1),
                .init(.meanPercent, "平均得分率", style: percent), .init(.band, "本地水平"),
            ] + levels.map { .init(.level($0), "\($0.label)占比", style: percent) } + [
                .init(.atLeastThree, "Ⅲ以上占比", style: percent),
                .init(.estimate, "校际差异率(预估，\(report.settings.method.label))", style: difference),
                .init(.officialYear, "监测年度"), .init(.officialLevel, "监测水平"),
                .init(.officialDifference, "监测校际差异率", style: difference), .init(.adoptedLevel, "采用水平"),
                .init(.adoptedDifference, "采用差异率"), .init(.meets, "是否达标"), .init(.source, "数据来源"),
            ])
        try sheet.title(
            0, "学业质量：学业水平与校际差异率（\(report.term.label)\(report.exam.map { "，\($0)" } ?? "")）",
            columns: columns.titleSpan(atMost: wideTitleSpan))
        try sheet.note(
            1,
            report.settings.description
                + "。目标：县域学生学业水平达到Ⅲ级以上，校际差异率低于 \(report.settings.target.maximumDifference)；有国家质量监测报告值时以报告为准，否则为本地预估。")
        let table = try columns.table(on: sheet, headerRow: 2)
        var row = table.headerRow
        for group in report.groups {
            row += 1
            let c = group.county
            let adopted = group.difference(report.settings.method)
            let (verdict, style) = flag(report.meets(group))
            try table.write(
                row,
                [
                    .text(group.grade.label), .text(group.subject), .optional(group.fullTenths.map { Double($0) / 10 }),
                    .number(Double(c.scored)), .number(Double(c.absent)), .number(Double(c.exempt)), .optional(c.mean),
                    .optional(c.meanPercent.value), .optional(group.countyBand.map { "\($0.level.label)（\($0.name)）" }),
                ] + levels.map { .optional(Rate(c.levels[$0] ?? 0, of: c.scored).value) } + [
                    .optional(c.atLeastThree.value), .optional(group.estimate?.value(report.settings.method)),
                    .optional(group.official?.year), .optional(group.official?.level?.label),
                    .optional(group.official?.difference), .optional(group.level?.label),
                    .optional(adopted.map { String(format: "%.3f", $0.value) + ($0.official ? "" : "（预估）") }),
                    verdict, .text(group.source),
                ], styles: [.meets: style])
        }
        table.freeze(through: .subject)
        try sheet.printSetup(headerRow: table.headerRow, title: "学业质量")

        row += 2
        try sheet.heading(row, "各校（按学生加权平均得分率定等级；仅供内部诊断，不排名、不公布）")
        row += 1
        let schools = try SheetColumns<SchoolAcademicColumn>(
            [
                .init(.grade, "年级"), .init(.subject, "学科"), .init(.school, "学校"), .init(.scored, "参考人数"),
                .init(.absent, "缺考"), .init(.mean, "平均分", style: .decimal1),
                .init(.meanPercent, "平均得分率", style: percent), .init(.band, "等级"),
            ] + levels.map { .init(.level($0), "\($0.label)占比", style: percent) }
        ).table(on: sheet, headerRow: row)
        for group in report.groups {
            for line in group.schools {
                row += 1
                let s = line.summary
                try schools.write(
                    row,
                    [
                        .text(group.grade.label), .text(group.subject), .text(line.school.name),
                        .number(Double(s.scored)), .number(Double(s.absent)), .optional(s.mean),
                        .optional(s.meanPercent.value), .optional(line.band.map { "\($0.level.label)（\($0.name)）" }),
                    ] + levels.map { .optional(Rate(s.levels[$0] ?? 0, of: s.scored).value) })
            }
        }
    }

    enum PsychColumn: Hashable {
        case school, inScope, screened, coverage
        case level(RiskLevel)
        case incomplete, void, open, reviewedInTime, urgent, overdue
    }

    static let psychColumns = SheetColumns<PsychColumn>(
        [
            .init(.school, "学校"), .init(.inScope, "应筛(4–9年级)"), .init(.screened, "已筛"),
            .init(.coverage, "覆盖率", style: .percent),
        ] + RiskLevel.allCases.map { .init(.level($0), $0.rawValue) } + [
            .init(.incomplete, "不完整"), .init(.void, "无效"), .init(.open, "在案"), .init(.reviewedInTime, "红橙按时复核"),
            .init(.urgent, "红橙案例"), .init(.overdue, "逾期未随访"),
        ])

    /// 心理健康: counts only, never names (psych RULES.md, confidentiality).
    static func writePsych(_ workbook: XlsxWorkbook, _ report: PsychReport) throws {
        let sheet = try workbook.addSheet("心理健康")
        let columns = psychColumns
        try sheet.title(0, "心理健康筛查与危机干预（\(report.term.label)，只计人数）", columns: columns.titleSpan())
        try sheet.note(1, report.settings.description + "；红、橙案例应在 \(report.reviewDays) 天内复核。")
        let table = try columns.table(on: sheet, headerRow: 2)
        var row = table.headerRow
        func line(_ name: String, _ c: PsychCounts, bold: Bool) throws {
            row += 1
            try table.write(
                row,
                [
                    .text(name), .number(Double(c.enrolledInScope)), .number(Double(c.screened)),
                    .optional(Rate(c.screenedInScope, of: c.enrolledInScope).value),
                ] + RiskLevel.allCases.map { .number(Double(c.byProposedLevel[$0] ?? 0)) } + [
                    .number(Double(c.incomplete)), .number(Double(c.void)), .number(Double(c.openCases)),
                    .number(Double(c.urgentReviewedInTime)), .number(Double(c.urgentCases)), .number(Double(c.overdue)),
                ], bold: bold)
        }
        try line("全县", report.county, bold: true)
        for (school, counts) in report.schools { try line(school.name, counts, bold: false) }
        table.freeze(through: .school)
        try sheet.printSetup(headerRow: table.headerRow, title: "心理健康（只计人数）")
    }
}
