import Foundation
import Ingest
import Standards
import Store

/// Blank import templates (`jiance template <kind>`): the headers the readers expect, a notes
/// sheet explaining each column with its unit, and dropdowns where the choices are fixed.
public enum ImportTemplate: String, CaseIterable, Sendable {
    case resources
    case academic
    case monitoring

    public var fileName: String {
        switch self {
        case .resources: "学校办学条件填报模板.xlsx"
        case .academic: "考试成绩导入模板.xlsx"
        case .monitoring: "质量监测结果录入模板.xlsx"
        }
    }

    /// Writes the template. `schools` (from the database) pre-fill the resources template: one row
    /// per school, two for a 九年一贯制 school (小学 and 初中 parts).
    public func write(to url: URL, schools: [SchoolInfo] = []) throws {
        let workbook = try XlsxWorkbook(path: url.path)
        switch self {
        case .resources: try writeResources(workbook, schools: schools)
        case .academic:
            try writeSimple(
                workbook, sheet: "考试成绩", title: "考试成绩（每名学生一行，每科一列）",
                note:
                    "学科列名可写满分，如“数学（满分120）”；缺考填“缺考”，免考填“免考”，未考的科目留空。导入：jiance import academic 文件 --term 学期 --exam 考试名称",
                columns: notes(academic: true))
        case .monitoring:
            try writeSimple(
                workbook, sheet: "监测结果", title: "国家义务教育质量监测 县域结果（按监测报告填写）",
                note: "每个学科、年级一行；学业水平填 Ⅰ/Ⅱ/Ⅲ/Ⅳ，校际差异率填小数（如 0.12）。导入：jiance import monitoring 文件",
                columns: notes(academic: false))
        }
        try workbook.close()
    }

    private func notes(academic: Bool) -> [(String, String)] {
        academic
            ? [
                ("学籍号", "全国学籍号（G+身份证号），用于跨学期识别学生"), ("姓名", ""), ("学校名称", "或学校标识码"), ("年级", "如 四年级、八年级 或年级编号 14、22"),
                ("班级", "如 1班"), ("语文", "分数，可有一位小数"), ("数学", ""), ("英语", ""), ("科学", ""),
            ]
            : [
                ("年度", "监测年度，如 2024"), ("学科", "如 数学、语文、科学、体育与健康、艺术、德育"), ("年级", "四年级 或 八年级"),
                ("学业水平", "县域学生学业水平：Ⅰ、Ⅱ、Ⅲ、Ⅳ"), ("校际差异率", "0–1 的小数，低于 0.15 达标"), ("平均分", "可选"),
            ]
    }

    private func writeSimple(
        _ workbook: XlsxWorkbook, sheet name: String, title: String, note: String, columns: [(String, String)]
    ) throws {
        let sheet = try workbook.addSheet(name)
        let spec = SheetColumns(headers: columns.map(\.0))
        try sheet.title(0, title, columns: spec.titleSpan())
        try sheet.note(1, note)
        try spec.table(on: sheet, headerRow: 2).freeze()
        try writeNotes(workbook, columns)
    }

    private func writeResources(_ workbook: XlsxWorkbook, schools: [SchoolInfo]) throws {
        let sheet = try workbook.addSheet("办学条件")
        let columns = Self.resourceColumns
        try sheet.title(0, "义务教育学校办学条件（县域优质均衡发展督导评估 资源配置七项指标）", columns: columns.titleSpan())
        try sheet.note(
            1, "每校一行；九年一贯制学校分“小学”“初中”两行，各填本学段的学生、教师、校舍与设备。数字按教育事业统计口径填写。导入：jiance import resources 文件 --year 统计年度")
        let table = try columns.table(on: sheet, headerRow: 2)
        var row = table.headerRow
        for school in schools {
            let parts: [ResourceStage] =
                switch school.stage {
                case .primary: [.primary]
                case .junior: [.junior]
                case .nineYear, .twelveYear: [.primary, .junior]
                default: []
                }
            for part in parts {
                row += 1
                let prefilled: [CellValue] = [.text(school.name), .optional(school.code), .text(part.rawValue)]
                try table.write(row, prefilled + Array(repeating: .blank, count: columns.count - prefilled.count))
            }
        }
        let lastRow = max(row, table.headerRow + 200)
        try table.dropdown("学段", lastRow: lastRow, listName: "学段", items: ResourceStage.allCases.map(\.rawValue))
        try table.dropdown(
            "学校类型", lastRow: lastRow, listName: "学校类型", items: ["完全小学", "初级中学", "九年一贯制学校", "教学点", "特殊教育学校"])
        table.freeze(through: "学校名称")
        try sheet.printSetup(headerRow: table.headerRow, title: "学校办学条件")
        var notes: [(String, String)] = [
            ("学校名称", "与学校名单一致"), ("学校标识码", "10 位学校标识码，可空"), ("学段", "小学 或 初中"),
            ("学校类型", "教学点（不足 50 人不参评）、特殊教育学校（不参评）等，可空"), ("在校生数", "本学段在校生人数"),
        ]
        for indicator in ResourceIndicator.allCases {
            let unit =
                switch indicator {
                case .teachingArea, .sportsArea: "平方米"
                case .equipmentValue: "元（表头写“教学仪器设备值（万元）”时按万元）"
                case .multimediaRooms: "间"
                default: "人"
                }
            notes.append(
                (
                    indicator.sourceColumn,
                    "\(unit)；用于“\(indicator.name)”，标准 小学 \(threshold(indicator, .primary))、初中 \(threshold(indicator, .junior))"
                ))
        }
        notes += [
            ("班级数", "用于平均班额"), ("最大班额", "本学段人数最多的班级人数（小学 ≤ 45，初中 ≤ 50）"), ("专任教师数", "可空；用于生师比（小学 1:19，初中 1:13.5）"),
        ]
        try writeNotes(workbook, notes)
    }

    /// The template's columns: the school, its code and its 学段 come from the school list; the
    /// school fills in the rest (yellow).
    static let resourceColumns = SheetColumns<String>(
        ResourceTemplate.columns.map { header in
            ["学校名称", "学校标识码", "学段"].contains(header)
                ? .init(header, header) : .init(header, header, style: .fillIn, editable: true)
        })

    private func threshold(_ indicator: ResourceIndicator, _ stage: ResourceStage) -> String {
        let value = indicator.thresholdHundredths(stage)
        return value % 100 == 0 ? String(value / 100) : String(format: "%.1f", Double(value) / 100)
    }

    private func writeNotes(_ workbook: XlsxWorkbook, _ notes: [(String, String)]) throws {
        let sheet = try workbook.addSheet("填写说明")
        let table = try SheetColumns(headers: ["列", "说明"]).table(on: sheet, headerRow: 0)
        for (index, note) in notes.enumerated() {
            try table.write(table.firstRow + index, [.text(note.0), .text(note.1)])
        }
    }
}
