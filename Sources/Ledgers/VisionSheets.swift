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
    var screenings: StreamedRows<VisionScreeningRow>
    /// The same season of the previous school year, when screened.
    var previous: (term: Term, observations: StreamedRows<VisionObservation>)?
    var enrolled: EnrolmentCounts
    var settings: VisionSettings
    var target: MyopiaTarget
    var personalData: PersonalDataMode

    enum OverviewColumn: Hashable {
        case grade, enrolled, screened, undetermined, myopic, myopiaRate, lastYear, drop, meets, lowVisionRate
        case lowVision(LowVisionGrade)
        case severity(MyopiaSeverity)
    }

    var overviewColumns: SheetColumns<OverviewColumn> {
        let lastYear = previous.map { "\($0.term.schoolYear)同季近视率" } ?? "去年同季近视率"
        return SheetColumns(
            [
                .init(.grade, "年级", width: 10), .init(.enrolled, "在籍"), .init(.screened, "筛查"),
                .init(.undetermined, "无法判定"), .init(.myopic, "近视"), .init(.myopiaRate, "近视率", style: .percent),
                .init(.lastYear, lastYear, style: .percent),
                .init(.drop, "下降(百分点)", style: CellStyle(numberFormat: VisionSheets.dropFormat)),
                .init(.meets, "年度目标(≥\(target.dropPerYearPP))"),
                .init(.lowVisionRate, "视力不良率", style: .percent),
            ] + LowVisionGrade.allCases.map { .init(.lowVision($0), $0.rawValue, style: .percent) }
                + MyopiaSeverity.allCases.map { .init(.severity($0), "\($0.rawValue)近视", style: .percent) })
    }

    /// A change in percentage points with its sign.
    static let dropFormat = "+0.0;-0.0;0.0"

    /// The title spans the columns up to 视力不良率.
    static let overviewTitleSpan = 10

    /// The two sheets: the overview in one pass over the screenings, which also counts the
    /// students to refer, and the referral sheet in a second.
    func write(_ workbook: XlsxWorkbook) throws {
        try writeReferrals(workbook, count: try writeOverview(workbook))
    }

    /// Writes the overview and returns how many students need a referral.
    private func writeOverview(_ workbook: XlsxWorkbook) throws -> Int {
        let sheet = try workbook.addSheet("视力概览")
        let columns = overviewColumns
        try sheet.title(
            0, "\(school.name) 学生视力筛查概览（\(term.label) 初筛）", columns: columns.titleSpan(atMost: Self.overviewTitleSpan))
        try sheet.note(
            1,
            settings.description + "。近视率分母不含无法判定者；视力不良率分母为双眼均有裸眼视力者；轻度、中度、重度视力不良也占双眼均有裸眼视力者（三者之和为视力不良率），低度、中度、高度近视占近视者。"
        )
        let table = try columns.table(on: sheet, headerRow: 2)
        let current = try Self.summaries(screenings.map(\.observation))
        let earlier = try previous.map { try Self.summaries($0.observations) }
        var row = table.headerRow
        for code in current.byGrade.keys.sorted() {
            row += 1
            try writeLine(
                table, row: row, label: GradeCode(code: code)?.label ?? "未填年级", enrolled: enrolled.byGrade[code],
                summary: current.byGrade[code]!, earlier: earlier?.byGrade[code])
        }
        let lastGradeRow = row
        row += 1
        try writeLine(
            table, row: row, label: "全校", enrolled: enrolled.total, summary: current.school, earlier: earlier?.school,
            bold: true)
        table.freeze(through: .grade)
        try sheet.printSetup(headerRow: table.headerRow, title: "\(school.name) 视力筛查概览")
        var series: [(name: String, key: OverviewColumn, color: UInt32, outlineOnly: Bool)] = [
            ("\(term.schoolYear) 近视率", .myopiaRate, 0x4472C4, false)
        ]
        if let previous { series.append(("\(previous.term.schoolYear) 同季", .lastYear, 0xA5A5A5, true)) }
        try table.columnChart(
            title: "各年级近视率（\(term.label)）", at: row + 2, categories: .grade, firstRow: table.firstRow,
            lastRow: lastGradeRow, series: series, percentAxis: true)
        return current.referrals
    }

    /// Screenings summarised by grade code (0 when not filled in) and for the whole school, and
    /// the students among them to refer, in one pass.
    private static func summaries(_ observations: StreamedRows<VisionObservation>) throws -> (
        byGrade: [Int: VisionSummary], school: VisionSummary, referrals: Int
    ) {
        var byGrade: [Int: VisionSummary] = [:]
        var school = VisionSummary()
        var referrals = 0
        try observations.forEachRow { _, observation in
            byGrade[observation.grade?.code ?? 0, default: VisionSummary()].add(observation.result)
            school.add(observation.result)
            if observation.result.needsReferral { referrals += 1 }
        }
        return (byGrade, school, referrals)
    }

    private func writeLine(
        _ table: SheetTable<OverviewColumn>, row: Int, label: String, enrolled: Int?, summary s: VisionSummary,
        earlier: VisionSummary?, bold: Bool = false
    ) throws {
        let drop = earlier.map {
            RateDrop(earlier: $0.myopiaRate, current: s.myopiaRate, requiredPP: target.dropPerYearPP)
        }
        let meets = drop?.meets
        try table.write(
            row,
            [
                .text(label), .optional(enrolled), .number(Double(s.screened)), .number(Double(s.undetermined)),
                .number(Double(s.myopic)), .optional(s.myopiaRate.value), .optional(earlier?.myopiaRate.value),
                .optional(drop?.dropPP.map { ($0 * 10).rounded() / 10 }), .text(Verdict.label(meets)),
                .optional(s.lowVisionRate.value),
            ] + LowVisionGrade.allCases.map { .optional(s.lowVisionShare($0).value) }
                + MyopiaSeverity.allCases.map { .optional(s.severityShare($0).value) },
            bold: bold, styles: meets == false ? [.meets: FitnessSheets.failingStyle] : [:])
    }

    private func writeReferrals(_ workbook: XlsxWorkbook, count: Int) throws {
        let referred = screenings.filter(count: count) { $0.observation.result.needsReferral }
        try FollowUpSheet(
            spec: .visionReferral, title: "\(school.name) 视力筛查转诊（复查）跟踪台账（\(term.label)）",
            note: "裸眼视力低于 5.0 或判定为近视的学生，请告知家长到医疗机构复查。黄色列由学校填写后报回教育局。",
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
