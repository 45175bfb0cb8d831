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

    /// 自评汇总: every indicator by dimension with value, threshold, pass and source.
    static func writeSummary(_ workbook: XlsxWorkbook, _ assessment: CountyAssessment) throws {
        let sheet = try workbook.addSheet("自评汇总")
        let headers = ["维度", "指标", "实际值", "标准", "是否达标", "数据来源"]
        try sheet.title(0, "县域义务教育优质均衡发展 自评汇总（\(assessment.term.label)）", columns: headers.count)
        let tally = assessment.tally
        try sheet.note(
            1,
            "达标 \(tally.met) 项，未达标 \(tally.failed) 项，无数据 \(tally.missing) 项。标准依据《县域义务教育优质均衡发展督导评估办法》（教督〔2017〕6号）与县级规划；“预估”为本地考试估算，以国家质量监测报告为准。"
        )
        try sheet.writeRow(2, headers.map(CellValue.text), style: .header)
        var row = 2
        for item in assessment.items {
            row += 1
            try sheet.writeRow(
                row, [.text(item.dimension), .text(item.name), .text(item.value), .text(item.threshold)])
            let (text, style) = item.judged ? flag(item.passes) : (.text("—"), .body)
            try sheet.write(row, 4, text, style: style)
            try sheet.write(row, 5, .text(item.source))
        }
        sheet.setWidth(1, 56)
        sheet.setWidth(5, 46)
        sheet.freeze(row: 3)
        try sheet.printSetup(headerRow: 2, title: "县域义务教育优质均衡发展自评汇总")
    }

    /// 资源配置: each school part against the seven indicators, the county 差异系数 per 学段,
    /// school sizes, and the schools left out of the evaluation.
    static func writeResources(_ workbook: XlsxWorkbook, _ report: ResourceReport) throws {
        let sheet = try workbook.addSheet("资源配置")
        let indicators = ResourceIndicator.allCases
        let headers =
            ["学校", "学校标识码", "学段", "在校生"] + indicators.map(\.shortName) + ["达标项数", "是否合格", "平均班额", "最大班额", "班额达标", "原因"]
        try sheet.title(0, "义务教育学校资源配置七项指标（\(report.year) 年度）", columns: 12)
        try sheet.note(1, "合格：\(ResourceEvaluation.rule)。未达标的指标值标红。差异系数按在校生加权、总体标准差计算，\(ResourceBalance.rule)。")
        try sheet.writeRow(2, headers.map(CellValue.text), style: .header)
        var row = 2
        for stage in ResourceStage.allCases {
            let parts = report.evaluations(stage)
            guard !parts.isEmpty else { continue }
            row += 1
            try sheet.writeRow(
                row,
                [.text("\(stage.rawValue)标准")] + [.blank, .blank, .blank]
                    + indicators.map { .number(Double($0.thresholdHundredths(stage)) / 100) },
                style: CellStyle(bold: true, numberFormat: "0.0#"))
            for evaluation in parts {
                row += 1
                let part = evaluation.part
                try sheet.writeRow(
                    row,
                    [
                        .text(part.school), .optional(part.code), .text(part.stage.rawValue),
                        .number(Double(part.students)),
                    ])
                for (offset, indicator) in indicators.enumerated() {
                    let result = evaluation.results.first { $0.indicator == indicator }
                    var style = result?.met == false ? FitnessSheets.failingStyle : .body
                    style.numberFormat = "0.00"
                    try sheet.write(row, 4 + offset, .optional(result?.value), style: style)
                }
                let column = 4 + indicators.count
                try sheet.write(row, column, .number(Double(evaluation.metCount)))
                let verdict: (CellValue, CellStyle) =
                    switch evaluation.passes {
                    case true?: (.text("合格"), passStyle)
                    case false?: (.text("不合格"), FitnessSheets.failingStyle)
                    case nil: (.text("缺数据"), .body)
                    }
                try sheet.write(row, column + 1, verdict.0, style: verdict.1)
                try sheet.write(row, column + 2, .optional(evaluation.averageClassSize), style: .decimal1)
                try sheet.write(row, column + 3, .optional(part.largestClass))
                let (classFlag, classStyle) = flag(evaluation.classSizeWithinLimit)
                try sheet.write(row, column + 4, classFlag, style: classStyle)
                try sheet.write(row, column + 5, .text(evaluation.reasons.joined(separator: "；")))
            }
        }
        sheet.freeze(row: 3, column: 1)
        try sheet.autofilter(headerRow: 2, lastRow: row, lastColumn: headers.count - 1)
        try sheet.printSetup(headerRow: 2, title: "资源配置七项指标")

        row += 2
        try sheet.write(row, 0, .text("县域差异系数（按在校生加权，总体标准差）"), style: CellStyle(bold: true, border: false))
        row += 1
        try sheet.writeRow(
            row, ["学段", "指标", "学校数", "加权平均", "标准差", "差异系数", "上限", "是否达标"].map(CellValue.text), style: .header)
        for balance in report.balances {
            row += 1
            try sheet.writeRow(
                row, [.text(balance.stage.rawValue), .text(balance.indicator.name), .number(Double(balance.schools))])
            try sheet.writeRow(
                row, [.optional(balance.cv?.mean), .optional(balance.cv?.standardDeviation)],
                style: CellStyle(numberFormat: "0.0000"), from: 3)
            try sheet.write(row, 5, .optional(balance.cv?.value), style: CellStyle(numberFormat: "0.000"))
            try sheet.write(row, 6, .number(balance.stage.maximumCV), style: CellStyle(numberFormat: "0.00"))
            let (text, style) = flag(balance.meets)
            try sheet.write(row, 7, text, style: style)
        }

        row += 2
        try sheet.write(row, 0, .text("学校规模"), style: CellStyle(bold: true, border: false))
        row += 1
        try sheet.writeRow(row, ["学校", "学段", "在校生", "上限", "是否达标"].map(CellValue.text), style: .header)
        for size in report.sizes {
            row += 1
            try sheet.writeRow(
                row,
                [
                    .text(size.school), .optional(size.stage?.rawValue), .number(Double(size.students)),
                    .number(Double(size.limit)),
                ])
            let (text, style) = flag(size.withinLimit)
            try sheet.write(row, 4, text, style: style)
        }
        if !report.excluded.isEmpty {
            row += 2
            try sheet.write(row, 0, .text("不参加评估的学校"), style: CellStyle(bold: true, border: false))
            row += 1
            try sheet.writeRow(row, ["学校", "学段", "原因"].map(CellValue.text), style: .header)
            for excluded in report.excluded {
                row += 1
                try sheet.writeRow(
                    row, [.text(excluded.school), .text(excluded.stage.rawValue), .text(excluded.reason)])
            }
        }
    }

    /// 学业质量: the county by grade and subject (level of the weighted mean, distribution,
    /// 校际差异率 official or estimated), then every school.
    static func writeAcademic(_ workbook: XlsxWorkbook, _ report: AcademicReport) throws {
        let sheet = try workbook.addSheet("学业质量")
        let levels = AcademicLevel.allCases.reversed()
        let headers =
            ["年级", "学科", "满分", "参考人数", "缺考", "免考", "平均分", "平均得分率", "本地水平"] + levels.map { "\($0.label)占比" }
            + [
                "Ⅲ以上占比", "校际差异率(预估，\(report.settings.method.label))", "监测年度", "监测水平", "监测校际差异率", "采用水平", "采用差异率",
                "是否达标", "数据来源",
            ]
        try sheet.title(0, "学业质量：学业水平与校际差异率（\(report.term.label)\(report.exam.map { "，\($0)" } ?? "")）", columns: 12)
        try sheet.note(
            1,
            report.settings.description
                + "。目标：县域学生学业水平达到Ⅲ级以上，校际差异率低于 \(report.settings.target.maximumDifference)；有国家质量监测报告值时以报告为准，否则为本地预估。")
        try sheet.writeRow(2, headers.map(CellValue.text), style: .header)
        var row = 2
        let percent = CellStyle(numberFormat: "0.0%")
        for group in report.groups {
            row += 1
            let c = group.county
            try sheet.writeRow(
                row,
                [
                    .text(group.grade.label), .text(group.subject), .optional(group.fullTenths.map { Double($0) / 10 }),
                    .number(Double(c.scored)), .number(Double(c.absent)), .number(Double(c.exempt)),
                ])
            try sheet.write(row, 6, .optional(c.mean), style: .decimal1)
            try sheet.write(row, 7, .optional(c.meanPercent.value), style: percent)
            try sheet.write(row, 8, .optional(group.countyBand.map { "\($0.level.label)（\($0.name)）" }))
            for (offset, level) in levels.enumerated() {
                try sheet.write(
                    row, 9 + offset, .optional(Rate(c.levels[level] ?? 0, of: c.scored).value), style: percent)
            }
            try sheet.write(row, 13, .optional(c.atLeastThree.value), style: percent)
            try sheet.write(
                row, 14, .optional(group.estimate?.value(report.settings.method)),
                style: CellStyle(numberFormat: "0.000"))
            try sheet.writeRow(
                row, [.optional(group.official?.year), .optional(group.official?.level?.label)], from: 15)
            try sheet.write(row, 17, .optional(group.official?.difference), style: CellStyle(numberFormat: "0.000"))
            let difference = group.difference(report.settings.method)
            try sheet.write(row, 18, .optional(group.level?.label))
            try sheet.write(
                row, 19, .optional(difference.map { String(format: "%.3f", $0.value) + ($0.official ? "" : "（预估）") }))
            let (text, style) = flag(report.meets(group))
            try sheet.write(row, 20, text, style: style)
            try sheet.write(row, 21, .text(group.source))
        }
        sheet.freeze(row: 3, column: 2)
        try sheet.printSetup(headerRow: 2, title: "学业质量")

        row += 2
        try sheet.write(row, 0, .text("各校（按学生加权平均得分率定等级；仅供内部诊断，不排名、不公布）"), style: CellStyle(bold: true, border: false))
        row += 1
        let schoolHeaders = ["年级", "学科", "学校", "参考人数", "缺考", "平均分", "平均得分率", "等级"] + levels.map { "\($0.label)占比" }
        try sheet.writeRow(row, schoolHeaders.map(CellValue.text), style: .header)
        for group in report.groups {
            for line in group.schools {
                row += 1
                let s = line.summary
                try sheet.writeRow(
                    row,
                    [
                        .text(group.grade.label), .text(group.subject), .text(line.school.name),
                        .number(Double(s.scored)), .number(Double(s.absent)),
                    ])
                try sheet.write(row, 5, .optional(s.mean), style: .decimal1)
                try sheet.write(row, 6, .optional(s.meanPercent.value), style: percent)
                try sheet.write(row, 7, .optional(line.band.map { "\($0.level.label)（\($0.name)）" }))
                for (offset, level) in levels.enumerated() {
                    try sheet.write(
                        row, 8 + offset, .optional(Rate(s.levels[level] ?? 0, of: s.scored).value), style: percent)
                }
            }
        }
    }

    /// 心理健康: counts only, never names (psych RULES.md, confidentiality).
    static func writePsych(_ workbook: XlsxWorkbook, _ report: PsychReport) throws {
        let sheet = try workbook.addSheet("心理健康")
        let headers =
            ["学校", "应筛(4–9年级)", "已筛", "覆盖率"] + RiskLevel.allCases.map(\.rawValue) + [
                "不完整", "无效", "在案", "红橙按时复核", "红橙案例", "逾期未随访",
            ]
        try sheet.title(0, "心理健康筛查与危机干预（\(report.term.label)，只计人数）", columns: headers.count)
        try sheet.note(1, report.settings.description + "；红、橙案例应在 \(report.reviewDays) 天内复核。")
        try sheet.writeRow(2, headers.map(CellValue.text), style: .header)
        var row = 2
        func line(_ name: String, _ c: PsychCounts, bold: Bool) throws {
            row += 1
            let style = CellStyle(bold: bold)
            try sheet.writeRow(
                row, [.text(name), .number(Double(c.enrolledInScope)), .number(Double(c.screened))], style: style)
            try sheet.write(
                row, 3, .optional(Rate(c.screenedInScope, of: c.enrolledInScope).value),
                style: CellStyle(bold: bold, numberFormat: "0.0%"))
            try sheet.writeRow(
                row,
                RiskLevel.allCases.map { .number(Double(c.byProposedLevel[$0] ?? 0)) } + [
                    .number(Double(c.incomplete)), .number(Double(c.void)), .number(Double(c.openCases)),
                    .number(Double(c.urgentReviewedInTime)),
                    .number(Double(c.urgentCases)), .number(Double(c.overdue)),
                ], style: style, from: 4)
        }
        try line("全县", report.county, bold: true)
        for (school, counts) in report.schools { try line(school.name, counts, bold: false) }
        sheet.freeze(row: 3, column: 1)
        try sheet.printSetup(headerRow: 2, title: "心理健康（只计人数）")
    }
}
