import Foundation
import Reports
import Standards
import Store

/// The confidential crisis-intervention ledger of one school (心理危机干预台账): one row per case
/// with the follow-up columns the psychology teacher fills in, and the event log. It is written
/// only by `jiance export psych`, always owner-only (0600) and audited; names and 学籍号 are
/// masked unless `--unmask` is given (RULES.md, Confidentiality).
public struct PsychLedger {
    public var school: SchoolInfo
    public var cases: [PsychCaseRow]
    public var personalData: PersonalDataMode
    /// The date of the export, in the file name.
    public var date: CalendarDate

    public init(school: SchoolInfo, cases: [PsychCaseRow], personalData: PersonalDataMode, date: CalendarDate) {
        self.school = school
        self.cases = cases
        self.personalData = personalData
        self.date = date
    }

    public var fileName: String {
        "心理台账_\(safeFileName(school.name))_\(date)\(personalData == .named ? "_未脱敏" : "").xlsx"
    }

    public func write(to url: URL) throws {
        // Always owner-only: even masked, the file holds children's health information.
        let workbook = try XlsxWorkbook(path: url.path, ownerOnly: true)
        try FollowUpSheet(
            spec: .psychCase, title: "\(school.name) 学生心理危机干预台账（截至 \(date)）",
            note: "机密：仅限心理教师与分管负责人查阅，不得外传、不得公开排名。每次处置填写一行黄色列（日期、人员、内容），导入后追加为台账事件，原有记录不会被覆盖。",
            identityHeaders: [
                "学籍号", "姓名", "性别", "年级", "班级", "发现日期", "来源", "筛查结果", "筛查建议等级", "已确认等级", "当前状态", "已定下次随访日期",
            ],
            entries: StreamedRows(cases).map { item in
                FollowUpSheet.Entry(
                    recordID: item.id, version: item.version ?? 0,
                    identity: [
                        personalData.studentNo(item.studentNo), .text(personalData.name(item.name)),
                        .optional(item.sex?.label), .optional(item.grade?.label),
                        .optional(item.className), .text(item.openedOn.description), .text(item.source),
                        .optional(item.screening),
                        .optional(item.proposed?.grade),
                        .optional(item.confirmed), .text(item.status.rawValue), .optional(item.nextDate?.description),
                    ], filled: [:])
            }
        ).write(workbook)
        try writeEvents(workbook)
        try workbook.close()
    }

    private func writeEvents(_ workbook: XlsxWorkbook) throws {
        let sheet = try workbook.addSheet("事件记录")
        let columns = SheetColumns<String>(
            ["案例号", "学籍号", "姓名", "日期", "事件"].map { .init($0, $0) } + [
                .init("内容", "内容", width: 50), .init("记录人", "记录人"),
            ])
        try sheet.title(0, "\(school.name) 心理危机干预台账 事件记录", columns: columns.titleSpan())
        try sheet.note(1, "每个案例从发现到结案的全部事件，按时间顺序；只增不改。")
        let table = try columns.table(on: sheet, headerRow: 2)
        var row = table.firstRow
        for item in cases {
            for event in item.events {
                try table.write(
                    row,
                    [
                        .number(Double(item.id)), personalData.studentNo(item.studentNo),
                        .text(personalData.name(item.name)),
                        .text(event.date.description), .optional(event.kind?.rawValue), .text(event.detail),
                        .optional(event.by),
                    ])
                row += 1
            }
        }
        table.freeze()
        try table.autofilter(lastRow: max(row - 1, table.firstRow))
        try sheet.printSetup(headerRow: table.headerRow, title: "\(school.name) 心理台账事件记录")
        sheet.protect()
    }
}
