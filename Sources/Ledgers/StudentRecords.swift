import Foundation
import Ingest
import Reports
import Standards
import Store

/// 学生健康档案 for printing: one A4 page per student, one sheet per class in grade order, each page
/// the student's `StudentHistory` — identity (masked unless named), where the student was enrolled
/// each school year, growth and fitness by term with the items and the 毕业成绩, every vision
/// screening with the follow-up, and small native line charts of height, BMI and the 学年总分
/// wherever there are at least two points to join. Never any psychological data
/// (../shared/reference/psych/RULES.md, Confidentiality). Owner-only and audited like the notices.
public struct StudentRecords {
    public var school: SchoolInfo
    public var term: Term
    /// The students of the school in `term` (their grade and class there) with their records.
    public var students: [(student: EnrolledStudent, history: StudentHistory)]
    public var personalData: PersonalDataMode

    public init(
        school: SchoolInfo, term: Term, students: [(student: EnrolledStudent, history: StudentHistory)],
        personalData: PersonalDataMode
    ) {
        (self.school, self.term, self.students, self.personalData) = (school, term, students, personalData)
    }

    public var fileName: String { "学生健康档案_\(safeFileName(school.name))_\(term).xlsx" }

    /// Ten columns: the widest table (vision) has nine, the growth and fitness table ten; about
    /// 730 pixels, the width of A4 portrait inside its margins, so that the page prints unscaled.
    static let columnWidths: [Double] = [12, 8, 9, 9, 12, 12, 9, 9, 9, 8]

    /// The printed lines a paragraph wraps to across the page (a little narrower than the columns,
    /// for the cell's padding).
    static func lines(_ text: String) -> Int {
        let width = Int(columnWidths.reduce(0, +)) - 6
        return (XlsxSheet.displayWidth(text) + width - 1) / width
    }

    public func write(to url: URL) throws {
        let masked = personalData == .masked
        try writeNoticeWorkbook(
            to: url, items: students, grade: \.student.grade, className: \.student.className,
            columnWidths: Self.columnWidths,
            printTitle: "学生健康档案 · 学校存档，请妥善保管，不得外传" + (masked ? "（姓名与学籍号已脱敏）" : "（含学生姓名，注意保护个人信息）"),
            header: school.name
        ) { page, entry in
            try page.begin(title: "学生健康档案")
            try identity(entry.student, entry.history, on: &page)
            try enrolments(entry.history, on: &page)
            try fitness(entry.history, on: &page)
            try vision(entry.history, on: &page)
        }
    }

    private func identity(_ student: EnrolledStudent, _ h: StudentHistory, on page: inout NoticePage) throws {
        let number = h.studentNo.map { personalData == .masked ? Masking.identifier($0) : $0 } ?? "—"
        let birth = h.birthDate.map { personalData == .masked ? Masking.birthDate($0) : $0.description } ?? "—"
        try page.paragraph(
            "姓名：\(personalData.name(h.name))　学籍号：\(number)　性别：\(h.sex?.label ?? "—")　出生：\(birth)　"
                + "\(term.label)：\(student.grade?.label ?? "")\(student.className ?? "")",
            style: NoticePage.bold, gapAfter: 1)
    }

    /// Where the student was each school year; a year spent in two places (a move) names both terms.
    private func enrolments(_ h: StudentHistory, on page: inout NoticePage) throws {
        try page.paragraph("在籍情况", style: NoticePage.bold)
        let years = Dictionary(grouping: h.enrolments, by: \.term.startYear)
        for year in years.keys.sorted() {
            let terms = years[year] ?? []
            func place(_ e: StudentHistory.Enrolment) -> String {
                "\(e.school)　\(e.grade?.label ?? "")\(e.className ?? "")"
            }
            let places = Set(terms.map(place))
            let text =
                places.count == 1
                ? place(terms[0])
                : terms.map { "第\($0.term.semester == 1 ? "一" : "二")学期 \(place($0))" }.joined(separator: "；")
            try page.paragraph("\(terms[0].term.schoolYear)学年　\(text)")
        }
        if h.enrolments.isEmpty { try page.paragraph("（没有在籍记录）") }
        page.reserve(1)
    }

    private func fitness(_ h: StudentHistory, on page: inout NoticePage) throws {
        try page.paragraph("生长发育与体质健康（《国家学生体质健康标准（2014年修订）》）", style: NoticePage.bold)
        guard !h.fitness.isEmpty else {
            try page.paragraph("（没有体质健康测试记录）", gapAfter: 1)
            return
        }
        let table = try page.table(
            Self.fitnessColumns,
            h.fitness.map { f in
                [
                    .text(f.term.description), .text(f.grade.label), .optional(f.heightCm), .optional(f.weightKg),
                    .optional(f.bmi), .optional(f.bmiCategory),
                    .optional(f.standardHundredths.map { Double($0) / 100 }),
                    .number(Double(f.bonus)), .optional(f.totalHundredths.map { Double($0) / 100 }),
                    .text(f.ratingText),
                ]
            })
        for f in h.fitness where !f.items.isEmpty {
            let items = f.items.map {
                "\($0.item.label) \(FitnessValues.resultText($0.result, item: $0.item, unit: true))（\($0.score.map { "\($0) 分" } ?? "—")）"
            }
            let text = "\(f.term.description)　" + items.joined(separator: "；")
            try page.paragraph(text, lines: Self.lines(text))
        }
        for f in h.fitness {
            guard let graduation = f.graduationHundredths else { continue }
            try page.paragraph(
                "毕业成绩（\(f.grade.label)，\(f.term.description)）：\(String(format: "%.2f", Double(graduation) / 100)) 分"
                    + "（毕业年级学年总分与其他学年总分的平均各占 50%）")
        }
        page.reserve(1)
        try charts(h, table, on: &page)
    }

    enum FitnessColumn: Hashable {
        case term, grade, height, weight, bmi, bmiCategory, standard, bonus, total, rating
    }

    static let fitnessColumns = SheetColumns<FitnessColumn>([
        .init(.term, "学期"), .init(.grade, "年级"), .init(.height, "身高(cm)"), .init(.weight, "体重(kg)"),
        .init(.bmi, "BMI"), .init(.bmiCategory, "BMI 分类"), .init(.standard, "标准分"), .init(.bonus, "附加分"),
        .init(.total, "学年总分"), .init(.rating, "等级"),
    ])

    /// Line charts of height, BMI and 学年总分 beside each other, each only with two points or more
    /// (one point is no trend); the chart reads its values from the table's cells.
    private func charts(
        _ h: StudentHistory, _ fitness: (table: SheetTable<FitnessColumn>, body: ClosedRange<Int>),
        on page: inout NoticePage
    ) throws {
        let (table, body) = fitness
        let charts: [(title: String, column: FitnessColumn, values: [Double], color: UInt32, step: Double)] = [
            ("身高（厘米）", .height, h.fitness.compactMap(\.heightCm), 0x2E75B6, 10),
            ("BMI", .bmi, h.fitness.compactMap(\.bmi), 0xC55A11, 2),
            ("学年总分", .total, h.fitness.compactMap { $0.totalHundredths.map { Double($0) / 100 } }, 0x548235, 10),
        ].filter { $0.values.count >= 2 }
        guard !charts.isEmpty else { return }
        // 235 × 196 pixels each, 12 pixels apart: three side by side across the ten columns (730 pixels).
        let top = page.reserve(11)
        for (index, chart) in charts.enumerated() {
            let low = (chart.values.min()! / chart.step).rounded(.down) * chart.step - chart.step
            let high = (chart.values.max()! / chart.step).rounded(.up) * chart.step + chart.step
            let category = table.column(.term)
            let values = table.column(chart.column)
            try page.sheet.insertChart(
                .line, title: chart.title, at: (top, table.firstColumn),
                categories: XlsxSheet.CellRange(body.lowerBound, category, body.upperBound, category),
                series: [
                    XlsxSheet.ChartSeries(
                        name: chart.title,
                        values: XlsxSheet.CellRange(body.lowerBound, values, body.upperBound, values),
                        color: chart.color, style: .actual)
                ],
                axis: .between(max(low, 0), high), size: .small(xScale: 0.49, yScale: 0.68, xOffset: index * 247))
        }
    }

    private func vision(_ h: StudentHistory, on page: inout NoticePage) throws {
        try page.paragraph("视力筛查（WS/T 663-2020《中小学生屈光不正筛查规范》）", style: NoticePage.bold)
        guard !h.vision.isEmpty else {
            try page.paragraph("（没有视力筛查记录）")
            return
        }
        try page.table(
            SheetColumns(headers: ["学期", "轮次", "右眼视力", "左眼视力", "右眼等效球镜", "左眼等效球镜", "近视", "视力不良", "需复查"]),
            h.vision.map { s in
                [
                    .text(s.term.description), .text(s.round.rawValue), .optional(s.right), .optional(s.left),
                    .text(StudentHistory.Screening.dioptres(s.rightSE)),
                    .text(StudentHistory.Screening.dioptres(s.leftSE)), .text(s.myopicText),
                    .text(s.lowVisionGrade ?? "—"), .text(s.needsReferral ? "是" : "否"),
                ]
            })
        for s in h.vision {
            guard let answer = s.followUpText else { continue }
            let text = "复查反馈（\(s.term.description) \(s.round.rawValue)）：\(answer)"
            try page.paragraph(text, lines: Self.lines(text))
        }
    }
}
