import Indicators
import Reports
import Standards
import Store

/// The vision part of a school's ledger: 视力概览 (by grade against last year's same season and
/// the 0.5 pp target, with a chart) and 视力转诊台账 (students to refer, with the follow-up
/// columns the school fills in).
struct VisionSheets {
    var school: SchoolInfo
    var term: Term
    var screenings: [VisionScreeningRow]
    /// The same season of the previous school year, when screened.
    var previous: (term: Term, observations: [VisionObservation])?
    var enrolled: [EnrolledStudent]
    var settings: VisionSettings
    var target: MyopiaTarget
    var personalData: PersonalDataMode

    func writeOverview(_ workbook: XlsxWorkbook) throws {
        let sheet = try workbook.addSheet("视力概览")
        let lastYear = previous.map { "\($0.term.schoolYear)同季近视率" } ?? "去年同季近视率"
        let headers = [
            "年级", "在籍", "筛查", "无法判定", "近视", "近视率", lastYear, "下降(百分点)", "年度目标(≥\(target.dropPerYearPP))",
            "视力不良率", "轻度", "中度", "重度", "低度近视", "中度近视", "高度近视",
        ]
        try sheet.title(0, "\(school.name) 学生视力筛查概览（\(term.label) 初筛）", columns: 10)
        try sheet.note(1, settings.description + "。近视率分母不含无法判定者；视力不良率分母为双眼均有裸眼视力者；分度为占近视/视力不良者的比例。")
        let headerRow = 2
        try sheet.writeRow(headerRow, headers.map(CellValue.text), style: .header)
        let observations = screenings.map(\.observation)
        let byGrade = VisionBreakdown.summaries(observations) { $0.grade?.code ?? 0 }
        let previousByGrade = VisionBreakdown.summaries(previous?.observations ?? []) { $0.grade?.code ?? 0 }
        let enrolledByGrade = Dictionary(grouping: enrolled) { $0.grade?.code ?? 0 }.mapValues(\.count)
        var row = headerRow
        for code in byGrade.keys.sorted() {
            row += 1
            try writeLine(
                sheet, row: row, label: GradeCode(code: code)?.label ?? "未填年级", enrolled: enrolledByGrade[code],
                summary: byGrade[code]!,
                earlier: previous == nil ? nil : previousByGrade[code])
        }
        let lastGradeRow = row
        row += 1
        try writeLine(
            sheet, row: row, label: "全校", enrolled: enrolled.count, summary: VisionBreakdown.summary(observations),
            earlier: previous.map { VisionBreakdown.summary($0.observations) }, bold: true)
        sheet.setWidth(0, 10)
        sheet.freeze(row: headerRow + 1, column: 1)
        try sheet.printSetup(headerRow: headerRow, title: "\(school.name) 视力筛查概览")
        var series: [(name: String, column: Int, color: UInt32, outlineOnly: Bool)] = [
            ("\(term.schoolYear) 近视率", 5, 0x4472C4, false)
        ]
        if previous != nil { series.append(("\(previous!.term.schoolYear) 同季", 6, 0xA5A5A5, true)) }
        try sheet.insertColumnChart(
            title: "各年级近视率（\(term.label)）", at: (row + 2, 0), categoryColumn: 0, firstRow: headerRow + 1,
            lastRow: lastGradeRow,
            series: series, percentAxis: true)
    }

    private func writeLine(
        _ sheet: XlsxSheet, row: Int, label: String, enrolled: Int?, summary s: VisionSummary, earlier: VisionSummary?,
        bold: Bool = false
    ) throws {
        let text = CellStyle(bold: bold)
        let percent = CellStyle(bold: bold, numberFormat: "0.0%")
        let drop = earlier.map {
            RateDrop(earlier: $0.myopiaRate, current: s.myopiaRate, requiredPP: target.dropPerYearPP)
        }
        try sheet.writeRow(
            row,
            [
                .text(label), .optional(enrolled), .number(Double(s.screened)), .number(Double(s.undetermined)),
                .number(Double(s.myopic)),
            ], style: text)
        try sheet.writeRow(
            row, [.optional(s.myopiaRate.value), .optional(earlier?.myopiaRate.value)], style: percent, from: 5)
        try sheet.write(
            row, 7, .optional(drop?.dropPP.map { ($0 * 10).rounded() / 10 }),
            style: CellStyle(bold: bold, numberFormat: "+0.0;-0.0;0.0"))
        let meets = drop?.meets
        try sheet.write(
            row, 8, .text(Verdict.label(meets)),
            style: meets == false ? FitnessSheets.failingStyle : text)
        try sheet.writeRow(
            row,
            [.optional(s.lowVisionRate.value)] + LowVisionGrade.allCases.map { .optional(s.lowVisionShare($0).value) }
                + MyopiaSeverity.allCases.map { .optional(s.severityShare($0).value) }, style: percent, from: 9)
    }

    func writeReferrals(_ workbook: XlsxWorkbook) throws {
        let referred = screenings.filter { $0.observation.result.needsReferral }
        try FollowUpSheet(
            spec: .visionReferral, title: "\(school.name) 视力筛查转诊（复查）跟踪台账（\(term.label)）",
            note: "裸眼视力低于 5.0 或判定为近视的学生，请告知家长到医疗机构复查。黄色列由学校填写后报回（jiance import followup）。",
            identityHeaders: ["学籍号", "姓名", "性别", "年级", "班级", "右眼视力", "左眼视力", "右眼等效球镜", "左眼等效球镜", "筛查结论"],
            entries: referred.map { row in
                let o = row.observation
                let r = o.result
                var conclusion: [String] = []
                if r.myopic == true { conclusion.append("近视" + (r.severity.map { "（\($0.rawValue)）" } ?? "")) }
                if r.myopic == nil { conclusion.append("近视无法判定") }
                if let grade = r.lowVisionGrade { conclusion.append("视力不良（\(grade.rawValue)）") }
                if r.glasses == .orthokeratology { conclusion.append("角膜塑形镜") }
                return FollowUpSheet.Entry(
                    recordID: row.id,
                    identity: [
                        personalData.studentNo(row.studentNo), .text(personalData.name(row.name)),
                        .optional(o.sex?.label), .optional(o.grade?.label),
                        .optional(o.className), .optional(r.right.acuity?.text), .optional(r.left.acuity?.text),
                        .optional(r.right.se?.description), .optional(r.left.se?.description),
                        .text(conclusion.joined(separator: "、")),
                    ], answers: row.followUp)
            }
        ).write(workbook)
    }
}
