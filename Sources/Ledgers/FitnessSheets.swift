import Indicators
import Ingest
import Reports
import Standards
import Store

/// The fitness part of a school's ledger: 体质概览 (targets against actual by grade, sex and class,
/// with a chart), 体质成绩明细, and the follow-up sheets 不及格学生台账 and 肥胖学生台账 whose
/// yellow columns schools fill in and send back.
struct FitnessSheets {
    var school: SchoolInfo
    var term: Term
    var results: [FitnessResultRow]
    var enrolled: [EnrolledStudent]
    var personalData: PersonalDataMode
    var targets: FitnessTargets

    static let failingStyle = CellStyle(fontColor: 0x9C0006, fill: 0xFFC7CE)

    /// Items anyone at the school has a result or score for, in standard order.
    var items: [FitnessItem] {
        let present = Set(results.flatMap { Array($0.values.keys) + Array($0.observation.itemScores.keys) })
        return FitnessItem.allCases.filter { present.contains($0) }
    }

    // MARK: 体质概览

    func writeOverview(_ workbook: XlsxWorkbook) throws {
        let sheet = try workbook.addSheet("体质概览")
        let headers = [
            "分组", "在籍", "测试", "免测", "不完整", "优秀", "良好", "及格", "不及格", "优秀率", "优良率", "优良率目标", "优良率达标",
            "及格率", "及格率目标", "及格率达标", "良好率", "低体重", "正常", "超重", "肥胖",
        ]
        try sheet.title(0, "\(school.name) 国家学生体质健康标准测试概览（\(term.label)）", columns: 12)
        try sheet.note(1, "优良率=(优秀+良好)/测试人数，及格率=(优秀+良好+及格)/测试人数；测试人数为各必测项目齐全的学生，免测与测试不完整者另计。BMI 各类为占有 BMI 者的比例。")
        let observations = results.map(\.observation)
        let enrolledByGrade = Dictionary(grouping: enrolled) { $0.grade?.code ?? 0 }.mapValues(\.count)
        var row = 2
        try sheet.writeRow(row, headers.map(CellValue.text), style: .header)
        let byGrade = FitnessBreakdown.summaries(observations) { $0.grade }
        let firstGradeRow = row + 1
        for grade in byGrade.keys.sorted() {
            row += 1
            try writeSummary(
                sheet, row: row, label: grade.label, enrolled: enrolledByGrade[grade.code], summary: byGrade[grade]!)
        }
        let lastGradeRow = row
        row += 1
        try writeSummary(
            sheet, row: row, label: "全校", enrolled: enrolled.count, summary: FitnessBreakdown.summary(observations),
            bold: true)

        row += 2
        try sheet.write(row, 0, .text("按性别"), style: CellStyle(bold: true, border: false))
        row += 1
        try sheet.writeRow(row, headers.map(CellValue.text), style: .header)
        let bySex = FitnessBreakdown.summaries(observations) { $0.sex }
        for sex in Sex.allCases {
            guard let summary = bySex[sex] else { continue }
            row += 1
            try writeSummary(
                sheet, row: row, label: "\(sex.label)生", enrolled: enrolled.filter { $0.sex == sex }.count,
                summary: summary)
        }

        row += 2
        try sheet.write(row, 0, .text("按班级"), style: CellStyle(bold: true, border: false))
        row += 1
        try sheet.writeRow(row, headers.map(CellValue.text), style: .header)
        let byClass = FitnessBreakdown.summaries(observations) {
            ClassKey(grade: $0.grade.code, className: $0.className ?? "")
        }
        let enrolledByClass = Dictionary(grouping: enrolled) {
            ClassKey(grade: $0.grade?.code ?? 0, className: $0.className ?? "")
        }.mapValues(\.count)
        for key in byClass.keys.sorted() {
            row += 1
            let label =
                key.className.hasPrefix(GradeCode(code: key.grade)?.label ?? "∅")
                ? key.className : "\(GradeCode(code: key.grade)?.label ?? "")\(key.className)"
            try writeSummary(sheet, row: row, label: label, enrolled: enrolledByClass[key], summary: byClass[key]!)
        }
        row += 2
        row = try writeItemMeans(sheet, from: row, byGrade: byGrade)
        sheet.setWidth(0, 14)
        sheet.freeze(row: 3, column: 1)
        try sheet.printSetup(headerRow: 2, title: "\(school.name) 体质健康概览")
        try sheet.insertColumnChart(
            title: "各年级优良率与目标（\(term.label)）", at: (row + 2, 0), categoryColumn: 0, firstRow: firstGradeRow,
            lastRow: lastGradeRow,
            series: [
                ("优良率", 10, 0x4472C4, false), ("目标 \(Rate.percentText(targets.goodOrBetter))", 11, 0xC00000, true),
            ],
            percentAxis: true)
    }

    /// 各项目平均得分 by grade; returns the last row written.
    private func writeItemMeans(_ sheet: XlsxSheet, from start: Int, byGrade: [GradeCode: FitnessSummary]) throws -> Int
    {
        let items = self.items
        var row = start
        try sheet.write(row, 0, .text("各项目平均得分"), style: CellStyle(bold: true, border: false))
        row += 1
        try sheet.writeRow(row, [.text("年级")] + items.map { .text($0.label) }, style: .header)
        for grade in byGrade.keys.sorted() {
            row += 1
            let summary = byGrade[grade]!
            try sheet.write(row, 0, .text(grade.label))
            try sheet.writeRow(row, items.map { .optional(summary.meanScore($0)) }, style: .decimal1, from: 1)
        }
        return row
    }

    private func writeSummary(
        _ sheet: XlsxSheet, row: Int, label: String, enrolled: Int?, summary s: FitnessSummary, bold: Bool = false
    ) throws {
        let meets = s.meets(targets)
        let text = CellStyle(bold: bold)
        let percent = CellStyle(bold: bold, numberFormat: "0.0%")
        func flag(_ value: Bool?) -> CellValue { .text(Verdict.label(value)) }
        try sheet.writeRow(
            row,
            [
                .text(label), .optional(enrolled), .number(Double(s.tested)), .number(Double(s.exempt)),
                .number(Double(s.incomplete)),
                .number(Double(s.count(.excellent))), .number(Double(s.count(.good))), .number(Double(s.count(.pass))),
                .number(Double(s.count(.fail))),
            ], style: text)
        try sheet.writeRow(
            row,
            [.optional(s.excellentRate.value), .optional(s.goodOrBetterRate.value), .number(targets.goodOrBetter)],
            style: percent, from: 9)
        try sheet.write(
            row, 12, flag(meets.goodOrBetter), style: meets.goodOrBetter == false ? FitnessSheets.failingStyle : text)
        try sheet.writeRow(row, [.optional(s.passingRate.value), .number(targets.passing)], style: percent, from: 13)
        try sheet.write(row, 15, flag(meets.passing), style: meets.passing == false ? FitnessSheets.failingStyle : text)
        try sheet.writeRow(
            row, [.optional(s.goodRate.value)] + BMICategory.allCases.map { .optional(s.bmiShare($0).value) },
            style: percent, from: 16)
    }

    // MARK: 体质成绩明细

    func writeDetails(_ workbook: XlsxWorkbook) throws {
        let sheet = try workbook.addSheet("体质成绩明细")
        let items = self.items
        var headers = ["序号", "学籍号", "姓名", "性别", "年级", "班级", "身高(cm)", "体重(kg)", "BMI", "BMI等级", "BMI得分"]
        let firstItemColumn = headers.count
        for item in items { headers += ["\(item.label)", "\(item.label)得分"] }
        headers += ["标准分", "附加分", "学年总分", "等级", "状态", "毕业成绩"]
        try sheet.title(0, "\(school.name) 体质健康测试成绩明细（\(term.label)）", columns: 12)
        try sheet.note(1, personalDataNote(personalData, count: results.count) + " 单项得分低于 60 分的以红色标出；时间类项目为 分′秒″。")
        let headerRow = 2
        try sheet.writeRow(headerRow, headers.map(CellValue.text), style: .header)
        for (index, result) in results.enumerated() {
            let o = result.observation
            var values: [CellValue] = [
                .number(Double(index + 1)), personalData.studentNo(result.studentNo),
                .text(personalData.name(result.name)), .text(o.sex.label),
                .text(o.grade.label), .optional(o.className), .optional(result.heightCm), .optional(result.weightKg),
                .optional(result.bmi?.value), .optional(result.bmi?.category.rawValue), .optional(result.bmi?.score),
            ]
            for item in items {
                values.append(resultCell(result.values[item], item: item))
                values.append(.optional(o.itemScores[item]))
            }
            values += [
                .optional(result.standardHundredths.map { Double($0) / 100 }), .number(Double(result.bonus)),
                .optional(o.totalHundredths.map { Double($0) / 100 }), .optional(o.rating?.rawValue),
                .text(statusLabel(o.status)),
                .optional(graduationScore(result).map { Double($0) / 100 }),
            ]
            try sheet.writeRow(headerRow + 1 + index, values)
        }
        let lastRow = headerRow + results.count
        for offset in items.indices {
            let column = firstItemColumn + offset * 2 + 1
            try sheet.highlightBelow(
                60, firstRow: headerRow + 1, lastRow: lastRow, firstColumn: column, lastColumn: column,
                style: FitnessSheets.failingStyle)
        }
        let totalColumn = firstItemColumn + items.count * 2 + 2
        try sheet.highlightBelow(
            60, firstRow: headerRow + 1, lastRow: lastRow, firstColumn: totalColumn, lastColumn: totalColumn,
            style: FitnessSheets.failingStyle)
        sheet.freeze(row: headerRow + 1, column: 3)
        try sheet.autofilter(headerRow: headerRow, lastRow: lastRow, lastColumn: headers.count - 1)
        try sheet.printSetup(headerRow: headerRow, title: "\(school.name) 体质健康测试成绩明细")
    }

    /// 毕业成绩 for students in a graduating grade (六年级, 初三, 初四) with earlier years stored.
    private func graduationScore(_ result: FitnessResultRow) -> Int? {
        guard result.observation.grade.isGraduating, let total = result.observation.totalHundredths else { return nil }
        return graduationScoreHundredths(graduatingYear: total, earlierYears: result.earlierTotals)
    }

    private func resultCell(_ value: Double?, item: FitnessItem) -> CellValue {
        guard let value else { return .blank }
        return item.isMinuteSecondTime ? .text(FitnessValues.minutesSecondsText(value)) : .number(value)
    }

    private func statusLabel(_ status: FitnessStatus) -> String {
        switch status {
        case .scored: "已评定"
        case .incomplete: "测试不完整"
        case .exempt: "免测"
        }
    }

    // MARK: follow-up ledgers

    func writeFailing(_ workbook: XlsxWorkbook) throws {
        let failing = results.filter { $0.observation.rating == .fail }
        try FollowUpSheet(
            spec: .fitnessFail, title: "\(school.name) 体质健康不及格学生跟踪台账（\(term.label)）",
            note: "等级为不及格的学生。黄色列由学校填写后报回；每名学生同一学年可补测一次。",
            identityHeaders: ["学籍号", "姓名", "性别", "年级", "班级", "学年总分", "不及格项目"],
            entries: failing.map { result in
                let low = result.observation.itemScores.filter { $0.value < 60 }.keys.sorted().map(\.label).joined(
                    separator: "、")
                return FollowUpSheet.Entry(
                    recordID: result.id,
                    identity: identity(result) + [
                        .optional(result.observation.totalHundredths.map { Double($0) / 100 }),
                        .text(low.isEmpty ? "—" : low),
                    ], answers: result.followUp["fitness-fail"] ?? FollowUpAnswers())
            }
        ).write(workbook)
    }

    func writeObese(_ workbook: XlsxWorkbook) throws {
        let obese = results.filter { $0.observation.bmiCategory == .obese }
        try FollowUpSheet(
            spec: .fitnessObese, title: "\(school.name) 肥胖学生跟踪台账（\(term.label)）",
            note: "BMI 达到《国家学生体质健康标准》肥胖界值的学生。黄色列由学校填写后报回。",
            identityHeaders: ["学籍号", "姓名", "性别", "年级", "班级", "身高(cm)", "体重(kg)", "BMI"],
            entries: obese.map { result in
                FollowUpSheet.Entry(
                    recordID: result.id,
                    identity: identity(result) + [
                        .optional(result.heightCm), .optional(result.weightKg), .optional(result.bmi?.value),
                    ],
                    answers: result.followUp["fitness-obese"] ?? FollowUpAnswers())
            }
        ).write(workbook)
    }

    private func identity(_ result: FitnessResultRow) -> [CellValue] {
        let o = result.observation
        return [
            personalData.studentNo(result.studentNo), .text(personalData.name(result.name)), .text(o.sex.label),
            .text(o.grade.label), .optional(o.className),
        ]
    }
}
