import Foundation
import Indicators
import Reports
import Standards
import Store

/// The trend workbook (`jiance export trend`): 全县 on top (every indicator by term, with line
/// charts and their target lines), a sheet per indicator family (schools as rows, terms as
/// columns), 队列 (the same students followed) and 需关注学校 (internal only). No personal data.
public struct TrendWorkbook {
    public var report: TrendReport

    public init(report: TrendReport) { self.report = report }

    public var fileName: String { "趋势_\(report.terms.first!)_至_\(report.terms.last!).xlsx" }

    static let colors: [UInt32] = [
        0x4472C4, 0xED7D31, 0x70AD47, 0x7030A0, 0x00B0F0, 0xFFC000, 0x843C0C, 0x2F5597, 0x548235, 0xBF9000,
    ]
    static let targetColor: UInt32 = 0xC00000

    public func write(to url: URL) throws {
        let workbook = try XlsxWorkbook(path: url.path)
        try writeCounty(workbook)
        for family in TrendIndicator.Family.allCases {
            let indicators = report.indicators.filter { $0.family == family && !$0.countyOnly }
            if !indicators.isEmpty { try writeFamily(workbook, family, indicators) }
        }
        try writeCohorts(workbook)
        try writeAttention(workbook)
        try workbook.close()
    }

    static func style(_ indicator: TrendIndicator, bold: Bool = false, color: UInt32? = nil) -> CellStyle {
        let format =
            switch indicator.unit {
            case .percent: "0.0%"
            case .count: "0"
            case .ratio: "0.000"
            }
        return CellStyle(bold: bold, fontColor: color, numberFormat: format)
    }

    /// The columns of a sheet of terms: a label, one column per term, the latest change and its
    /// verdict, and on the county sheet the target.
    enum Column: Hashable {
        case label
        case term(Term)
        case change, verdict, target
    }

    func columns(label: String, width: Double? = nil, target: Bool = false) -> SheetColumns<Column> {
        SheetColumns(
            [.init(.label, label, width: width)] + report.terms.map { .init(.term($0), $0.description) }
                + [.init(.change, "最近变化"), .init(.verdict, "是否达标")] + (target ? [.init(.target, "目标")] : []))
    }

    /// Writes `label`, then one value per term (blank where a term has none).
    func writeValues(
        _ table: SheetTable<Column>, row: Int, label: String, values: (Term) -> Double?, style: CellStyle
    ) throws {
        try table.write(row, .label, .text(label), style: CellStyle(bold: style.bold, fontColor: style.fontColor))
        for term in report.terms {
            try table.write(row, .term(term), .optional(values(term)), style: style)
        }
    }

    /// A line chart of rows of `table` over its terms.
    func lineChart(
        _ table: SheetTable<Column>, title: String, at anchor: (row: Int, column: Int),
        series: [(name: String, row: Int, color: UInt32, style: XlsxSheet.ChartSeries.Style)],
        axis: XlsxSheet.ChartAxis
    ) throws {
        try table.lineChart(
            title: title, at: anchor, from: .term(report.terms.first!), through: .term(report.terms.last!),
            series: series, axis: axis)
    }

    func changeCells(_ table: SheetTable<Column>, row: Int, series: TrendSeries) throws {
        guard let last = series.values.keys.max() else { return }
        let change = series.change(at: last, targets: report.targets)
        // Rounded to what the format shows, so that a tiny fall is not printed as −0.0.
        let scaled: Double? = change.map {
            series.indicator.unit == .percent
                ? ($0.delta * 10).rounded() / 1000 + 0 : ($0.delta * 1000).rounded() / 1000 + 0
        }
        let format =
            series.indicator.unit == .percent
            ? "+0.0%;-0.0%;0.0%" : (series.indicator.unit == .count ? "+0;-0;0" : "+0.000;-0.000;0.000")
        try table.write(row, .change, .optional(scaled), style: CellStyle(numberFormat: format))
        let verdict = series.verdict(at: last, targets: report.targets)
        try table.write(
            row, .verdict, .text(verdict?.rawValue ?? "—"),
            style: verdict == .missed ? FitnessSheets.failingStyle : .body)
    }

    /// 全县: every indicator by term; below, one line chart per family with its target lines.
    private func writeCounty(_ workbook: XlsxWorkbook) throws {
        let sheet = try workbook.addSheet("全县")
        let terms = report.terms
        let columns = self.columns(label: "指标", target: true)
        try sheet.title(0, "全县各项指标逐学期趋势（\(terms.first!.label) 至 \(terms.last!.label)）", columns: columns.titleSpan())
        try sheet.note(1, "视力与去年同季比较，其他指标与上一有数据的学期比较；“最近变化”为最新学期与其比较学期之差（比率为百分点）。虚线为目标。")
        let table = try columns.table(on: sheet, headerRow: 2)
        var row = table.headerRow
        var rows: [TrendIndicator: (value: Int, target: Int?)] = [:]
        for indicator in report.indicators {
            guard let series = report.county[indicator] else { continue }
            row += 1
            let valueRow = row
            try writeValues(
                table, row: row, label: indicator.name, values: { series.values[$0]?.value },
                style: Self.style(indicator))
            try changeCells(table, row: row, series: series)
            try table.write(row, .target, .optional(indicator.targetText(report.targets)))
            var targetRow: Int?
            if let path = series.targetPath(terms: terms, targets: report.targets) {
                row += 1
                targetRow = row
                try writeValues(
                    table, row: row, label: "　目标：\(indicator.name)", values: { path[$0] },
                    style: Self.style(indicator, color: 0x808080))
            }
            rows[indicator] = (valueRow, targetRow)
        }
        table.freeze(through: .label)
        try sheet.printSetup(headerRow: table.headerRow, title: "全县指标趋势")
        var anchor = row + 2
        for family in TrendIndicator.Family.allCases {
            for unit in [TrendIndicator.Unit.percent, .ratio, .count] {
                let members = report.indicators.filter { $0.family == family && $0.unit == unit && rows[$0] != nil }
                guard !members.isEmpty else { continue }
                var series: [(name: String, row: Int, color: UInt32, style: XlsxSheet.ChartSeries.Style)] = []
                for (index, indicator) in members.enumerated() {
                    let color = Self.colors[index % Self.colors.count]
                    series.append((indicator.name, rows[indicator]!.value, color, .actual))
                    if let target = rows[indicator]!.target {
                        series.append(("目标：\(indicator.name)", target, color, .target))
                    }
                }
                try lineChart(
                    table, title: "\(family.rawValue)：全县逐学期趋势", at: (anchor, table.firstColumn), series: series,
                    axis: unit == .percent ? .percent : .number)
                anchor += 18
            }
        }
    }

    /// A family sheet: per indicator, a block with 全县, its target and every school by term, and a
    /// line chart of the block (each school when there are few, else the county and the target).
    private func writeFamily(_ workbook: XlsxWorkbook, _ family: TrendIndicator.Family, _ indicators: [TrendIndicator])
        throws
    {
        let sheet = try workbook.addSheet(family.rawValue)
        let columns = self.columns(label: "学校", width: 22)
        try sheet.title(0, "\(family.rawValue)：各校逐学期趋势（学校为行、学期为列）", columns: columns.titleSpan())
        try sheet.note(1, "仅供教育局内部跟踪，不公布排名。红色为未达到目标。")
        var row = 2
        for indicator in indicators {
            guard let county = report.county[indicator] else { continue }
            try sheet.heading(
                row, indicator.name + (indicator.targetText(report.targets).map { "（目标：\($0)）" } ?? ""))
            row += 1
            let table = try columns.table(on: sheet, headerRow: row)
            row += 1
            let countyRow = row
            try writeValues(
                table, row: row, label: "全县", values: { county.values[$0]?.value },
                style: Self.style(indicator, bold: true))
            try changeCells(table, row: row, series: county)
            var chartSeries: [(name: String, row: Int, color: UInt32, style: XlsxSheet.ChartSeries.Style)] = [
                ("全县", countyRow, Self.colors[0], .actual)
            ]
            if let path = county.targetPath(terms: report.terms, targets: report.targets) {
                row += 1
                try writeValues(
                    table, row: row, label: "目标", values: { path[$0] }, style: Self.style(indicator, color: 0x808080))
                chartSeries.append(("目标", row, Self.targetColor, .target))
            }
            let schools = report.schools.filter { $0.series[indicator] != nil }
            for (index, school) in schools.enumerated() {
                row += 1
                let series = school.series[indicator]!
                try writeValues(
                    table, row: row, label: school.school.name, values: { series.values[$0]?.value },
                    style: Self.style(indicator))
                try changeCells(table, row: row, series: series)
                if schools.count <= 8 {
                    chartSeries.append(
                        (school.school.name, row, Self.colors[(index + 1) % Self.colors.count], .reference))
                }
            }
            try lineChart(
                table, title: indicator.name, at: (table.headerRow, table.columnBeside), series: chartSeries,
                axis: indicator.unit == .percent ? .percent : .number)
            row = max(row, table.headerRow + 18) + 2
        }
        // The width holds on a sheet whose indicators have no county figures (no table written).
        columns.setWidths(on: sheet)
        try sheet.printSetup(headerRow: 3, title: family.rawValue)
    }

    /// A school ledger's 趋势 sheet: the school's indicators by term beside the county's, with a chart
    /// of 优良率 and 近视率 against their targets.
    /// The 趋势 sheet of a general school ledger, which every teacher reads: no psychological
    /// figure at all (small counts identify children in a small school; PIPL Art. 28) — those stay
    /// in the confidential psych ledger and the county workbook.
    func writeSchool(_ workbook: XlsxWorkbook, _ school: TrendReport.SchoolTrend) throws {
        let sheet = try workbook.addSheet("趋势")
        let terms = report.terms
        let columns = self.columns(label: "指标", width: 26)
        try sheet.title(0, "\(school.school.name) 各项指标逐学期趋势", columns: columns.titleSpan())
        try sheet.note(1, "视力与去年同季比较，其他指标与上一有数据的学期比较；虚线为目标，灰色为全县。")
        let table = try columns.table(on: sheet, headerRow: 2)
        var row = table.headerRow
        var chart: [(name: String, row: Int, color: UInt32, style: XlsxSheet.ChartSeries.Style)] = []
        for indicator in TrendIndicator.allCases where indicator.family != .psych {
            guard let series = school.series[indicator] else { continue }
            row += 1
            try writeValues(
                table, row: row, label: indicator.name, values: { series.values[$0]?.value },
                style: Self.style(indicator))
            try changeCells(table, row: row, series: series)
            guard [.goodOrBetter, .myopia].contains(indicator), let county = report.county[indicator] else { continue }
            let color = indicator == .goodOrBetter ? Self.colors[0] : Self.colors[1]
            chart.append((indicator.name, row, color, .actual))
            if let path = series.targetPath(terms: terms, targets: report.targets) {
                row += 1
                try writeValues(
                    table, row: row, label: "　目标：\(indicator.name)", values: { path[$0] },
                    style: Self.style(indicator, color: 0x808080))
                chart.append(("目标：\(indicator.name)", row, color, .target))
            }
            row += 1
            try writeValues(
                table, row: row, label: "　全县\(indicator.name)", values: { county.values[$0]?.value },
                style: Self.style(indicator, color: 0x808080))
            chart.append(("全县\(indicator.name)", row, 0xA5A5A5, .reference))
        }
        table.freeze(through: .label)
        try sheet.printSetup(headerRow: table.headerRow, title: "\(school.school.name) 趋势")
        if !chart.isEmpty {
            try lineChart(
                table, title: "\(school.school.name)：优良率与近视率", at: (row + 2, table.firstColumn), series: chart,
                axis: .percent)
        }
    }

    /// 队列: the same students followed between the last comparable terms.
    private func writeCohorts(_ workbook: XlsxWorkbook) throws {
        let sheet = try workbook.addSheet("队列")
        let cohorts = report.cohorts
        let columns = Self.cohortColumns
        try sheet.title(0, "跟踪同一批学生（按学籍号；转学学生仍是同一人）", columns: columns.titleSpan())
        var row = 1
        /// A section: a blank row, its bold heading, and the row after it ready to write.
        func section(_ heading: String) throws {
            row += 2
            try sheet.heading(row - 1, heading)
        }
        func lost(_ l: CohortReport.Lost) throws {
            row += 1
            try sheet.labelled(row, [("失访（仍在籍但本次无记录）", .number(Double(l.stillEnrolled)))])
            row += 1
            try sheet.labelled(row, [("离校（本次不在籍）", .number(Double(l.notEnrolled)))])
        }
        if let f = cohorts.fitness {
            try section("体质健康等级变化：\(f.from.label) → \(f.to.label)")
            let table = try columns.table(on: sheet, headerRow: row)
            for from in FitnessRating.allCases {
                row += 1
                let counts = FitnessRating.allCases.map { f.count(from, $0) }
                try table.write(
                    row,
                    [.text(from.rawValue)] + counts.map { .number(Double($0)) } + [.number(Double(counts.reduce(0, +)))]
                )
            }
            row += 1
            try sheet.labelled(
                row,
                [
                    ("等级上升", .number(Double(f.improved))), ("等级下降", .number(Double(f.declined))),
                    ("两次都有等级", .number(Double(f.followed))),
                ])
            try lost(f.lost)
            row += 1
        }
        if let v = cohorts.vision {
            try section("视力：\(v.from.label) → \(v.to.label)（同季）")
            try sheet.labelled(
                row,
                [
                    ("上次未近视、本次近视", .number(Double(v.newMyopia.numerator))),
                    ("上次未近视且本次可判定", .number(Double(v.newMyopia.denominator))),
                ])
            row += 1
            try sheet.labelled(row, [("新发近视率", .optional(v.newMyopia.value))], valueStyle: .percent)
            try lost(v.lost)
            row += 1
        }
        if let p = cohorts.psych {
            try section("心理筛查风险等级（每名学生取最高等级）：\(p.from.label) → \(p.to.label)")
            try sheet.labelled(
                row,
                [("上升", .number(Double(p.rose))), ("下降", .number(Double(p.fell))), ("不变", .number(Double(p.same)))])
            try lost(p.lost)
        }
        if cohorts.fitness == nil && cohorts.vision == nil && cohorts.psych == nil {
            try sheet.note(2, "所选学期中没有两次可比较的记录。")
        }
        // The labels of the lines below the table are as wide as its first column, table or not.
        columns.setWidths(on: sheet)
    }

    enum CohortColumn: Hashable {
        case from
        case to(FitnessRating)
        case total
    }

    /// The table of 等级 changes: the earlier 等级 down the side, the later across.
    static let cohortColumns = SheetColumns<CohortColumn>(
        [.init(.from, "上次＼本次", width: 30)] + FitnessRating.allCases.map { .init(.to($0), $0.rawValue) }
            + [.init(.total, "合计")])

    enum AttentionColumn: Hashable { case indicator, term, school, value, gap }

    static let attentionColumns = SheetColumns<AttentionColumn>([
        .init(.indicator, "指标"), .init(.term, "学期"), .init(.school, "学校"), .init(.value, "数值", style: .percent),
        .init(.gap, "差距(百分点)", style: CellStyle(numberFormat: "0.00")),
    ])

    /// 需关注学校: schools short of each target in its latest term, the farthest first.
    private func writeAttention(_ workbook: XlsxWorkbook) throws {
        let sheet = try workbook.addSheet("需关注学校")
        let columns = Self.attentionColumns
        try sheet.title(0, "需要关注的学校（按距目标远近排列）", columns: columns.titleSpan())
        try sheet.note(1, "仅供教育局内部跟踪与帮扶，不公布、不排名。差距：距目标的百分点（近视率为距年度下降目标的百分点）。")
        let table = try columns.table(on: sheet, headerRow: 2)
        var row = table.headerRow
        for indicator in TrendIndicator.schoolTargets {
            guard let term = report.latestTerm(indicator) else { continue }
            for entry in report.attention(indicator) {
                row += 1
                try table.write(
                    row,
                    [
                        .text(indicator.name), .text(term.description), .text(entry.school.name),
                        .number(entry.value.value), .number(entry.gap),
                    ])
            }
        }
        if row == table.headerRow { try table.write(table.firstRow, .indicator, .text(report.nobodyToWatch)) }
        try sheet.printSetup(headerRow: table.headerRow, title: "需要关注的学校")
    }
}
