import Foundation
import Standards
import Store

/// 视力筛查结果告知书: one printed page per screened student for the family, one sheet per
/// class, each page ending with a tear-off receipt (家长签字) the school keeps. A notice goes to
/// the child's own family, so it carries the name (no 学籍号: the family does not need it); the
/// file is owner-only and every export is audited. Students without a screening get no notice.
public struct VisionNotices {
    public var school: SchoolInfo
    public var term: Term
    public var round: String
    public var screenings: [VisionScreeningRow]
    /// The date printed under the school's name.
    public var date: String

    public init(school: SchoolInfo, term: Term, round: String, screenings: [VisionScreeningRow], date: String) {
        (self.school, self.term, self.round, self.screenings, self.date) = (school, term, round, screenings, date)
    }

    public var fileName: String { "视力筛查告知书_\(safeFileName(school.name))_\(term).xlsx" }

    /// Columns of a notice page: 眼别, 裸眼视力, 等效球镜, 结论 (the last two merged wide).
    private static let columnWidths: [Double] = [14, 16, 18, 40]
    /// Excel keeps at most 1,023 manual page breaks per sheet.
    private static let pagesPerSheet = 1_000

    public func write(to url: URL) throws {
        let workbook = try XlsxWorkbook(path: url.path, ownerOnly: true)
        var usedNames: Set<String> = []
        for (label, rows) in classes() {
            for (part, start) in stride(from: 0, to: rows.count, by: Self.pagesPerSheet).enumerated() {
                var name = String(label.prefix(28)) + (part > 0 ? "_\(part + 1)" : "")
                while usedNames.contains(name) { name += "_" }
                usedNames.insert(name)
                let sheet = try workbook.addSheet(name)
                try writePages(sheet, rows[start..<min(start + Self.pagesPerSheet, rows.count)])
            }
        }
        try workbook.close()
    }

    /// Screenings by class, classes in grade order; the sheet label names grade and class.
    private func classes() -> [(String, [VisionScreeningRow])] {
        let grouped = Dictionary(grouping: screenings) { row in
            [row.observation.grade?.label, row.observation.className].compactMap { $0 }.joined(separator: " ")
        }
        return grouped.map { ($0.key.isEmpty ? "未分班" : sheetSafe($0.key), $0.value) }.sorted { lhs, rhs in
            let left = lhs.1.first?.observation.grade?.code ?? 99
            let right = rhs.1.first?.observation.grade?.code ?? 99
            return left != right ? left < right : lhs.0.localizedStandardCompare(rhs.0) == .orderedAscending
        }
    }

    private func sheetSafe(_ text: String) -> String {
        String(text.map { "[]:*?/\\".contains($0) ? "_" : $0 })
    }

    private func writePages(_ sheet: XlsxSheet, _ rows: ArraySlice<VisionScreeningRow>) throws {
        for (column, width) in Self.columnWidths.enumerated() { sheet.setWidth(column, width) }
        let columns = Self.columnWidths.count
        let text = CellStyle(border: false, wrap: true, alignment: .general)
        let bold = CellStyle(bold: true, border: false, wrap: true)
        var pageStarts: [Int] = []
        var r = 0
        for row in rows {
            pageStarts.append(r)
            let o = row.observation
            let result = o.result
            let wording = VisionNoticeText(result)
            try sheet.paragraph(
                r, "视力筛查结果告知书", columns: columns, lines: 2,
                style: CellStyle(bold: true, fontSize: 18, border: false, alignment: .center))
            r += 1
            try sheet.paragraph(r, "尊敬的 \(row.name) 同学家长：", columns: columns, style: bold)
            r += 1
            try sheet.paragraph(
                r,
                "　　\(school.name)于\(term.label)（\(round)）按 WS/T 663-2020《中小学生屈光不正筛查规范》对\(o.grade?.label ?? "")\(o.className.map { " \($0) " } ?? "")学生进行了视力筛查。您孩子的结果如下：",
                columns: columns, lines: 2, style: text)
            r += 1
            try sheet.writeRow(r, ["眼别", "裸眼视力（五分记录）", "等效球镜（D）", "判定"].map(CellValue.text), style: .header)
            r += 1
            for (eye, label) in [(result.right, "右眼"), (result.left, "左眼")] {
                try sheet.writeRow(
                    r,
                    [
                        .text(label), .text(eye.acuity?.text ?? "未测"), .text(eye.se.map(\.description) ?? "未测"),
                        .text(VisionNoticeText.eye(eye)),
                    ], style: CellStyle(alignment: .center))
                r += 1
            }
            if let glasses = result.glasses {
                try sheet.paragraph(r, "戴镜情况：\(glasses.label)", columns: columns, style: text)
                r += 1
            }
            r += 1
            try sheet.paragraph(r, "筛查结论：\(wording.conclusion)", columns: columns, lines: 2, style: bold)
            r += 1
            try sheet.paragraph(r, wording.nextStep, columns: columns, lines: 3, style: text)
            r += 2
            try sheet.paragraph(r, "预防近视，请家长配合：", columns: columns, style: bold)
            r += 1
            for advice in VisionNoticeText.prevention {
                try sheet.paragraph(r, "· \(advice.text)（依据：\(advice.source)）", columns: columns, lines: 2, style: text)
                r += 1
            }
            try sheet.paragraph(
                r, "说明：筛查不能代替医疗机构的医学检查和诊断；本告知书仅交学生家长本人，请妥善保管。", columns: columns, lines: 2,
                style: CellStyle(fontColor: 0x595959, border: false, wrap: true))
            r += 2
            try sheet.paragraph(
                r, "\(school.name)　　\(date)", columns: columns,
                style: CellStyle(border: false, alignment: .right))
            r += 2
            try sheet.paragraph(
                r, "✂ - - - - - - - - - - - - - 沿此线剪下，交回班主任 - - - - - - - - - - - - -", columns: columns,
                style: CellStyle(fontColor: 0x7F7F7F, border: false, alignment: .center))
            r += 1
            try sheet.paragraph(
                r, "回执：\(o.grade?.label ?? "")\(o.className ?? "") \(row.name) 同学家长已收到\(term.label)视力筛查结果告知书。",
                columns: columns, lines: 2, style: text)
            r += 1
            try sheet.paragraph(
                r, "是否已到医疗机构检查：□ 是（机构：__________）　□ 否　　家长签字：__________　　日期：______",
                columns: columns, lines: 2, style: text)
            r += 2
        }
        try sheet.printNotices(pageStarts: pageStarts, lastRow: max(r - 1, 0), lastColumn: columns - 1)
    }
}

/// What a notice says about one screening, in plain words for a family: the conclusion, what
/// to do next, and the prevention advice with its sources.
public struct VisionNoticeText: Sendable {
    public var conclusion: String
    public var nextStep: String

    public init(_ result: VisionResult) {
        var parts: [String] = []
        if result.myopic == true {
            parts.append("筛查提示近视" + (result.severity.map { "（\($0.rawValue)）" } ?? ""))
        } else if result.myopic == nil {
            parts.append("部分项目未能测得，是否近视无法判定")
        }
        if let grade = result.lowVisionGrade { parts.append("裸眼视力低于正常（视力不良，\(grade.rawValue)）") }
        if result.glasses == .orthokeratology { parts.append("正在佩戴角膜塑形镜（OK 镜）") }
        if parts.isEmpty { parts.append("本次筛查未见近视和视力不良") }
        conclusion = parts.joined(separator: "；") + "。"
        if result.needsReferral || result.myopic == nil {
            nextStep =
                "　　需到医疗机构进一步检查：请在一个月内带孩子到具备资质的医疗机构眼科（医院眼科或视光门诊）做医学验光（必要时散瞳验光），"
                + "遵医嘱矫正或复查，并把检查结果告诉班主任。请勿在非医疗机构自行配镜。"
        } else if result.glasses == .orthokeratology {
            nextStep = "　　请按医嘱定期到医疗机构复查角膜塑形镜的效果和眼部健康。"
        } else {
            nextStep = "　　目前不需要到医疗机构复查；学校每学年至少筛查两次，请继续保持良好的用眼习惯。"
        }
    }

    /// One eye's judgement for the table.
    public static func eye(_ eye: EyeResult) -> String {
        switch eye.myopic {
        case true: "近视" + (eye.severity.map { "（\($0.rawValue)）" } ?? "")
        case false: eye.lowVision.map { "视力不良（\($0.rawValue)）" } ?? "正常"
        case nil: eye.lowVision.map { "视力不良（\($0.rawValue)），近视无法判定" } ?? "无法判定"
        }
    }

    /// Prevention advice for every family, each line with the document it comes from.
    public static let prevention: [(text: String, source: String)] = [
        ("每天日间户外活动累计不少于 2 小时，多在阳光下活动", "《儿童青少年近视防控适宜技术指南（更新版）》，国卫办疾控函〔2021〕517号"),
        (
            "读写姿势做到“一尺、一拳、一寸”；使用电子产品学习 30—40 分钟后休息远眺 10 分钟，非学习目的的电子产品单次不超过 15 分钟、每天累计不超过 1 小时",
            "《综合防控儿童青少年近视实施方案》，教体艺〔2018〕3号"
        ),
        ("保证睡眠：小学生每天 10 小时、初中生 9 小时、高中阶段学生 8 小时", "《综合防控儿童青少年近视实施方案》，教体艺〔2018〕3号"),
        (
            "近视的孩子应到正规医疗机构检查、验光配镜，遵医嘱定期复查，不要相信“治愈近视”的宣传",
            "《儿童青少年近视防控适宜技术指南（更新版）》，国卫办疾控函〔2021〕517号"
        ),
    ]
}

extension LedgerExporter {
    /// `jiance export notices vision`: one school's notices for a term (optionally one class),
    /// owner-only and audited with the count; nothing is written when no student was screened.
    public func exportVisionNotices(
        school reference: String, className: String?, term: Term, round: String = "初筛", to folder: URL, date: String
    ) throws -> (url: URL, count: Int) {
        guard let school = try RosterQueries(database: database).school(reference) else {
            throw NothingToExport("数据库中没有学校“\(reference)”")
        }
        var screenings = try VisionQueries(database: database, settings: settings.vision).screenings(
            term: term, round: round, schoolID: school.id)
        if let className {
            // `三年级2班`, `2班` or a 班级编号 (`1302`), spelled as the roster spells classes.
            screenings = screenings.filter {
                $0.observation.className == ClassName.normalize(className, grade: $0.observation.grade)
            }
            let grades = Set(screenings.compactMap(\.observation.grade)).sorted { $0.code < $1.code }
            if grades.count > 1 {
                throw NothingToExport(
                    "班级“\(className)”在\(grades.map(\.label).joined(separator: "、"))都有；请写明年级，如 --class \(grades[0].label)\(screenings[0].observation.className ?? "")"
                )
            }
        }
        guard !screenings.isEmpty else {
            throw NothingToExport(
                "\(school.name)\(className.map { "班级“\($0)”" } ?? "")在\(term.label)（\(round)）没有视力筛查结果；请先导入筛查结果，或核对学期、轮次与班级"
            )
        }
        let notices = VisionNotices(school: school, term: term, round: round, screenings: screenings, date: date)
        let url = folder.appendingPathComponent(
            className.map { notices.fileName.replacingOccurrences(of: ".xlsx", with: "_\(safeFileName($0)).xlsx") }
                ?? notices.fileName)
        try notices.write(to: url)
        try AuditLog.record(
            database, action: "export-vision-notices", target: url.lastPathComponent,
            detail:
                "导出视力筛查结果告知书（含姓名）：\(school.name)\(className.map { " \($0)" } ?? "")，\(term.label)，\(screenings.count) 份"
        )
        return (url, screenings.count)
    }
}
