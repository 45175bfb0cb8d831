import Foundation
import Reports
import Standards
import Store

/// What one notice to a family says, in the order it is printed: the printed workbook
/// (`NoticePage`) and the browser's print view show the same content.
public struct NoticeContent: Sendable {
    public struct Paragraph: Sendable {
        public var text: String
        public var bold = false
        /// Printed lines the paragraph wraps to on an A4 page (the workbook's row height).
        public var lines = 1
        public var gapAfter = 0
    }

    public var title: String
    public var name: String
    public var opening: [Paragraph]
    public var tableHeaders: [String]
    public var tableRows: [[CellValue]]
    public var closing: [Paragraph]
    public var adviceHeading: String
    public var advice: [NoticeAdvice]
    public var receipt: [String]

    /// 体质健康测试结果告知书 of one student.
    public static func fitness(_ row: FitnessResultRow, school: SchoolInfo, term: Term, earlierTotal: Int?)
        -> NoticeContent
    {
        let o = row.observation
        let wording = FitnessNoticeText(row, earlierTotal: earlierTotal)
        let exempt = o.status == .exempt
        return NoticeContent(
            title: "学生体质健康测试结果告知书", name: row.name,
            opening: [
                Paragraph(
                    text:
                        "　　\(school.name)于\(term.label)按《国家学生体质健康标准（2014年修订）》对\(o.grade.label)\(o.className ?? "")学生进行了体质健康测试。您孩子的结果如下：",
                    lines: 2)
            ],
            tableHeaders: exempt ? [] : ["测试项目", "成绩", "得分", "等级"],
            tableRows: exempt ? [] : FitnessNoticeText.itemRows(row),
            closing: [Paragraph(text: wording.summary, bold: true, lines: exempt ? 3 : 2, gapAfter: 1)],
            adviceHeading: "给孩子的锻炼建议：", advice: wording.advice,
            receipt: [
                "回执：\(o.grade.label)\(o.className ?? "") \(row.name) 同学家长已收到\(term.label)体质健康测试结果告知书。",
                "家长签字：__________　　日期：______",
            ])
    }

    /// 视力筛查结果告知书 of one screening; `referral` names the county's eye clinic.
    public static func vision(
        _ row: VisionScreeningRow, school: SchoolInfo, term: Term, round: VisionRound, referral: String?
    ) -> NoticeContent {
        let o = row.observation
        let result = o.result
        let wording = VisionNoticeText(result, referral: referral)
        var closing: [Paragraph] = []
        if let glasses = result.glasses { closing.append(Paragraph(text: "戴镜情况：\(glasses.label)")) }
        closing.append(Paragraph(text: "筛查结论：\(wording.conclusion)", bold: true, lines: 2))
        closing.append(Paragraph(text: wording.nextStep + "筛查不能代替医疗机构的医学检查和诊断。", lines: 3, gapAfter: 1))
        return NoticeContent(
            title: "视力筛查结果告知书", name: row.name,
            opening: [
                Paragraph(
                    text:
                        "　　\(school.name)于\(term.label)（\(round.rawValue)）按 WS/T 663-2020《中小学生屈光不正筛查规范》对\(o.grade?.label ?? "")\(o.className ?? "")学生进行了视力筛查。您孩子的结果如下：",
                    lines: 2)
            ],
            tableHeaders: ["眼别", "裸眼视力（五分记录）", "等效球镜（D）", "判定"],
            tableRows: [(result.right, "右眼"), (result.left, "左眼")].map { eye, label in
                [
                    .text(label), .text(eye.acuity?.text ?? "未测"), .text(eye.se.map(\.description) ?? "未测"),
                    .text(VisionNoticeText.eye(eye)),
                ]
            },
            closing: closing, adviceHeading: "预防近视，请家长配合：", advice: VisionNoticeText.prevention,
            receipt: [
                "回执：\(o.grade?.label ?? "")\(o.className ?? "") \(row.name) 同学家长已收到\(term.label)视力筛查结果告知书。",
                "是否已到医疗机构检查：□ 是（机构：__________）　□ 否　　家长签字：__________　　日期：______",
            ])
    }
}

extension NoticePage {
    /// Lays out one notice on its page.
    mutating func write(_ content: NoticeContent, school: String, date: CalendarDate) throws {
        try begin(title: content.title, name: content.name)
        for p in content.opening {
            try paragraph(
                p.text, lines: p.lines, style: p.bold ? NoticePage.bold : NoticePage.text, gapAfter: p.gapAfter)
        }
        if !content.tableRows.isEmpty { try table(SheetColumns(headers: content.tableHeaders), content.tableRows) }
        for p in content.closing {
            try paragraph(
                p.text, lines: p.lines, style: p.bold ? NoticePage.bold : NoticePage.text, gapAfter: p.gapAfter)
        }
        try advice(content.adviceHeading, content.advice)
        try end(school: school, date: date, receipt: content.receipt)
    }
}
