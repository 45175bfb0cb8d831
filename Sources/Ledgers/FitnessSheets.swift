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
    var results: FitnessLedgerRows
    var enrolled: EnrolmentCounts
    var personalData: PersonalDataMode
    var targets: FitnessTargets

    static let failingStyle = CellStyle(fontColor: 0x9C0006, fill: 0xFFC7CE)

    /// The school's results summarised by grade, sex and class.
    struct Tally {
        var byGrade: [GradeCode: FitnessSummary] = [:]
        var bySex: [Sex: FitnessSummary] = [:]
        var byClass: [ClassKey: FitnessSummary] = [:]
        var school = FitnessSummary()

        mutating func add(_ o: FitnessObservation) {
            byGrade[o.grade, default: FitnessSummary()].add(o)
            bySex[o.sex, default: FitnessSummary()].add(o)
            byClass[ClassKey(grade: o.grade.code, className: o.className ?? ""), default: FitnessSummary()].add(o)
            school.add(o)
        }
    }

    /// The four sheets, in one pass over the results and one over each follow-up subset: the
    /// details are written first and summed as they go, the overview from their sums into the
    /// sheet placed before them.
    func write(_ workbook: XlsxWorkbook) throws {
        let overview = try workbook.addSheet("体质概览")
        let tally = try writeDetails(try workbook.addSheet("体质成绩明细"))
        try writeOverview(overview, tally)
        try writeFailing(workbook)
        try writeObese(workbook)
    }

    // MARK: 体质概览

    enum OverviewColumn: Hashable {
        case group, enrolled, tested, exempt, incomplete
        case rating(FitnessRating)
        case rate(FitnessRateColumn)
        case goodRate
        case bmi(BMICategory)
    }

    static let overviewColumns = SheetColumns<OverviewColumn>(
        [
            .init(.group, "分组", width: 14), .init(.enrolled, "在籍"), .init(.tested, "测试"), .init(.exempt, "免测"),
            .init(.incomplete, "不完整"),
        ] + FitnessRating.allCases.map { .init(.rating($0), $0.rawValue) }
            + FitnessRateColumn.columns(OverviewColumn.rate)
            + [.init(.goodRate, "良好率", style: .percent)]
            + BMICategory.allCases.map { .init(.bmi($0), $0.rawValue, style: .percent) })

    private func writeOverview(_ sheet: XlsxSheet, _ tally: Tally) throws {
        let columns = Self.overviewColumns
        try sheet.title(
            0, "\(school.name) 国家学生体质健康标准测试概览（\(term.label)）", columns: columns.titleSpan(atMost: wideTitleSpan))
        try sheet.note(1, "优良率=(优秀+良好)/测试人数，及格率=(优秀+良好+及格)/测试人数；测试人数为各必测项目齐全的学生，免测与测试不完整者另计。BMI 各类为占有 BMI 者的比例。")
        let grades = try columns.table(on: sheet, headerRow: 2)
        var row = grades.headerRow
        for grade in tally.byGrade.keys.sorted() {
            row += 1
            try writeSummary(
                grades, row: row, label: grade.label, enrolled: enrolled.byGrade[grade.code],
                summary: tally.byGrade[grade]!)
        }
        let lastGradeRow = row
        row += 1
        try writeSummary(grades, row: row, label: "全校", enrolled: enrolled.total, summary: tally.school, bold: true)

        row += 2
        try sheet.heading(row, "按性别")
        row += 1
        let sexes = try columns.table(on: sheet, headerRow: row)
        for sex in Sex.allCases {
            guard let summary = tally.bySex[sex] else { continue }
            row += 1
            try writeSummary(
                sexes, row: row, label: "\(sex.label)生", enrolled: enrolled.bySex[sex] ?? 0, summary: summary)
        }

        row += 2
        try sheet.heading(row, "按班级")
        row += 1
        let classes = try columns.table(on: sheet, headerRow: row)
        for key in tally.byClass.keys.sorted() {
            row += 1
            let label =
                key.className.hasPrefix(GradeCode(code: key.grade)?.label ?? "∅")
                ? key.className : "\(GradeCode(code: key.grade)?.label ?? "")\(key.className)"
            try writeSummary(
                classes, row: row, label: label, enrolled: enrolled.byClass[key]?.total, summary: tally.byClass[key]!)
        }
        row += 2
        row = try writeItemMeans(sheet, from: row, byGrade: tally.byGrade)
        grades.freeze(through: .group)
        try sheet.printSetup(headerRow: grades.headerRow, title: "\(school.name) 体质健康概览")
        try grades.columnChart(
            title: "各年级优良率与目标（\(term.label)）", at: row + 2, categories: .group, firstRow: grades.firstRow,
            lastRow: lastGradeRow,
            series: [
                ("优良率", .rate(.goodOrBetter), 0x4472C4, false),
                ("目标 \(Rate.percentText(targets.goodOrBetter))", .rate(.goodOrBetterTarget), 0xC00000, true),
            ],
            percentAxis: true)
    }

    enum ItemMeanColumn: Hashable {
        case grade
        case item(FitnessItem)
    }

    /// 各项目平均得分 by grade; returns the last row written.
    private func writeItemMeans(_ sheet: XlsxSheet, from start: Int, byGrade: [GradeCode: FitnessSummary]) throws -> Int
    {
        let items = results.items
        var row = start
        try sheet.heading(row, "各项目平均得分")
        row += 1
        let table = try SheetColumns<ItemMeanColumn>(
            [.init(.grade, "年级")] + items.map { .init(.item($0), $0.label, style: .decimal1) }
        ).table(on: sheet, headerRow: row)
        for grade in byGrade.keys.sorted() {
            row += 1
            let summary = byGrade[grade]!
            try table.write(row, [.text(grade.label)] + items.map { .optional(summary.meanScore($0)) })
        }
        return row
    }

    private func writeSummary(
        _ table: SheetTable<OverviewColumn>, row: Int, label: String, enrolled: Int?, summary s: FitnessSummary,
        bold: Bool = false
    ) throws {
        try table.write(
            row,
            [
                .text(label), .optional(enrolled), .number(Double(s.tested)), .number(Double(s.exempt)),
                .number(Double(s.incomplete)),
            ] + FitnessRating.allCases.map { .number(Double(s.count($0))) }
                + FitnessRateColumn.cells(s, targets: targets)
                + [.optional(s.goodRate.value)] + BMICategory.allCases.map { .optional(s.bmiShare($0).value) },
            bold: bold,
            styles: FitnessRateColumn.missed(
                s, targets: targets, style: FitnessSheets.failingStyle, OverviewColumn.rate))
    }

    // MARK: 体质成绩明细

    enum DetailColumn: Hashable {
        case number, studentNo, name, sex, grade, className, height, weight, bmi, bmiCategory, bmiScore
        case result(FitnessItem)
        case score(FitnessItem)
        case standard, bonus, total, rating, status, graduation
    }

    /// Writes the details into `sheet` and returns their summaries.
    private func writeDetails(_ sheet: XlsxSheet) throws -> Tally {
        let items = results.items
        var tally = Tally()
        let columns = SheetColumns<DetailColumn>(
            [
                .init(.number, "序号"), .init(.studentNo, "学籍号"), .init(.name, "姓名"), .init(.sex, "性别"),
                .init(.grade, "年级"), .init(.className, "班级"), .init(.height, "身高(cm)"), .init(.weight, "体重(kg)"),
                .init(.bmi, "BMI"), .init(.bmiCategory, "BMI等级"), .init(.bmiScore, "BMI得分"),
            ] + items.flatMap { [.init(.result($0), $0.label), .init(.score($0), "\($0.label)得分")] } + [
                .init(.standard, "标准分"), .init(.bonus, "附加分"), .init(.total, "学年总分"), .init(.rating, "等级"),
                .init(.status, "状态"), .init(.graduation, "毕业成绩"),
            ])
        try sheet.title(
            0, "\(school.name) 体质健康测试成绩明细（\(term.label)）", columns: columns.titleSpan(atMost: wideTitleSpan))
        try sheet.note(1, personalDataNote(personalData, count: results.all.count) + " 单项得分低于 60 分的以红色标出；时间类项目为 分′秒″。")
        let table = try columns.table(on: sheet, headerRow: 2)
        try results.all.forEachRow { index, result in
            let o = result.observation
            tally.add(o)
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
                .optional(try graduationScore(result).map { Double($0) / 100 }),
            ]
            try table.write(table.firstRow + index, values)
        }
        let lastRow = table.headerRow + results.all.count
        for item in items {
            try table.highlightBelow(60, .score(item), lastRow: lastRow, style: FitnessSheets.failingStyle)
        }
        try table.highlightBelow(60, .total, lastRow: lastRow, style: FitnessSheets.failingStyle)
        table.freeze(through: .name)
        try table.autofilter(lastRow: lastRow)
        try sheet.printSetup(headerRow: table.headerRow, title: "\(school.name) 体质健康测试成绩明细")
        return tally
    }

    /// 毕业成绩 for students in a graduating grade (六年级, 初三, 初四) with earlier years stored.
    private func graduationScore(_ result: FitnessResultRow) throws -> Int? {
        guard result.observation.grade.isGraduating, let total = result.observation.totalHundredths else { return nil }
        return graduationScoreHundredths(
            graduatingYear: total, earlierYears: try results.earlierTotals(result.observation.studentID))
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

    private func writeFailing(_ workbook: XlsxWorkbook) throws {
        try FollowUpSheet(
            spec: .fitnessFail, title: "\(school.name) 体质健康不及格学生跟踪台账（\(term.label)）",
            note: "等级为不及格的学生。黄色列由学校填写后报回；每名学生同一学年可补测一次。",
            identityHeaders: ["学籍号", "姓名", "性别", "年级", "班级", "学年总分", "不及格项目"],
            entries: results.failing.map { result in
                let low = result.observation.itemScores.filter { $0.value < 60 }.map(\.item.label).joined(
                    separator: "、")
                return FollowUpSheet.Entry(
                    recordID: result.id,
                    identity: identity(result) + [
                        .optional(result.observation.totalHundredths.map { Double($0) / 100 }),
                        .text(low.isEmpty ? "—" : low),
                    ], answers: result.followUp[.fitnessFail] ?? FollowUpAnswers())
            }
        ).write(workbook)
    }

    private func writeObese(_ workbook: XlsxWorkbook) throws {
        try FollowUpSheet(
            spec: .fitnessObese, title: "\(school.name) 肥胖学生跟踪台账（\(term.label)）",
            note: "BMI 达到《国家学生体质健康标准》肥胖界值的学生。黄色列由学校填写后报回。",
            identityHeaders: ["学籍号", "姓名", "性别", "年级", "班级", "身高(cm)", "体重(kg)", "BMI"],
            entries: results.obese.map { result in
                FollowUpSheet.Entry(
                    recordID: result.id,
                    identity: identity(result) + [
                        .optional(result.heightCm), .optional(result.weightKg), .optional(result.bmi?.value),
                    ],
                    answers: result.followUp[.fitnessObese] ?? FollowUpAnswers())
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

/// 优秀率, 优良率 and 及格率 against their targets: the columns of every line that summarises
/// fitness results (a grade, a class, a school, the county).
enum FitnessRateColumn: Hashable, CaseIterable {
    case excellent, goodOrBetter, goodOrBetterTarget, goodOrBetterMet, passing, passingTarget, passingMet

    var header: String {
        switch self {
        case .excellent: "优秀率"
        case .goodOrBetter: "优良率"
        case .goodOrBetterTarget: "优良率目标"
        case .goodOrBetterMet: "优良率达标"
        case .passing: "及格率"
        case .passingTarget: "及格率目标"
        case .passingMet: "及格率达标"
        }
    }

    /// The columns in a sheet whose keys wrap these: proportions as percentages, verdicts as text.
    static func columns<Key: Hashable & Sendable>(_ key: (Self) -> Key) -> [SheetColumns<Key>.Column] {
        allCases.map {
            .init(key($0), $0.header, style: $0 == .goodOrBetterMet || $0 == .passingMet ? .body : .percent)
        }
    }

    /// A summary's cells in these columns, in order.
    static func cells(_ s: FitnessSummary, targets: FitnessTargets) -> [CellValue] {
        let meets = s.meets(targets)
        return [
            .optional(s.excellentRate.value), .optional(s.goodOrBetterRate.value), .number(targets.goodOrBetter),
            .text(Verdict.label(meets.goodOrBetter)), .optional(s.passingRate.value), .number(targets.passing),
            .text(Verdict.label(meets.passing)),
        ]
    }

    /// `style` for each verdict of a summary that misses its target.
    static func missed<Key: Hashable & Sendable>(
        _ s: FitnessSummary, targets: FitnessTargets, style: CellStyle, _ key: (Self) -> Key
    )
        -> [Key: CellStyle]
    {
        let meets = s.meets(targets)
        var styles: [Key: CellStyle] = [:]
        if meets.goodOrBetter == false { styles[key(.goodOrBetterMet)] = style }
        if meets.passing == false { styles[key(.passingMet)] = style }
        return styles
    }
}
