import Foundation
import Ledgers
import Standards

/// A synthetic mid-term exam of grades 3–9, the schools' resource returns and an official
/// monitoring report's county values: what the bureau gathers for the self-assessment.
/// Schools differ by a school effect (a between-school variance share near 0.1); a few students
/// are absent (缺考) or exempt (免考). One school reports in the long layout as a GB18030 CSV.
struct SampleAcademic {
    let county: SampleCounty
    var random: SeededGenerator

    static let exam = "期中考试"
    /// A 教学点 under 50 students: in the school list and the resource return, out of the evaluation.
    static let teachingPoint = (code: "2137139001", name: "石桥乡西沟教学点", students: 38)

    /// Subjects and full marks by grade year (junior 语数英 out of 120).
    static func subjects(year: Int) -> [(String, Double)] {
        switch year {
        case 3: [("语文", 100), ("数学", 100), ("英语", 100)]
        case 4...6: [("语文", 100), ("数学", 100), ("英语", 100), ("科学", 100)]
        case 7: [("语文", 120), ("数学", 120), ("英语", 120), ("道德与法治", 100)]
        default: [("语文", 120), ("数学", 120), ("英语", 120), ("物理", 100)]
        }
    }

    /// Writes the exam into `academicFolder`, the resource return of the county's year, and (with
    /// `monitoring`) the previous year's monitoring values.
    mutating func write(to folder: URL, academicFolder: String, monitoring: Bool) throws -> [URL] {
        let academic = folder.appendingPathComponent(academicFolder)
        try FileManager.default.createDirectory(at: academic, withIntermediateDirectories: true)
        var written: [URL] = []
        var bySchool = [[SampleCounty.Student]](repeating: [], count: county.schools.count)
        for student in county.students where (student.grade.year ?? 0) >= 3 { bySchool[student.school].append(student) }
        let effects = county.schools.indices.map { _ in random.normal(mean: 0, deviation: 0.045) }
        for (index, school) in county.schools.enumerated() where !bySchool[index].isEmpty {
            let file = "考试成绩_\(Self.exam)_\(safeFileName(school.name))"
            if index == 2 {
                let url = academic.appendingPathComponent(file + ".csv")
                try writeLong(url, school: school, students: bySchool[index], effect: effects[index])
                written.append(url)
            } else {
                let url = academic.appendingPathComponent(file + ".xlsx")
                try writeWide(url, school: school, students: bySchool[index], effect: effects[index])
                written.append(url)
            }
        }
        let resources = folder.appendingPathComponent("resources")
        try FileManager.default.createDirectory(at: resources, withIntermediateDirectories: true)
        let resourceFile = resources.appendingPathComponent("学校办学条件_\(county.term.startYear).xlsx")
        try writeResources(resourceFile)
        written.append(resourceFile)
        if monitoring {
            let url = resources.appendingPathComponent("国家义务教育质量监测_县域结果_\(county.term.startYear - 1).xlsx")
            try writeMonitoring(url)
            written.append(url)
        }
        return written
    }

    /// A 得分率 for a student: county mean 0.77, school effect, spread 0.13.
    private mutating func mark(full: Double, effect: Double) -> CellValue {
        if random.chance(0.015) { return .text("缺考") }
        if random.chance(0.003) { return .text("免考") }
        let rate = min(1, max(0.08, random.normal(mean: 0.77 + effect, deviation: 0.13)))
        return .number((rate * full * 2).rounded() / 2)
    }

    /// One row per student, a column per subject; a 九年一贯制 school has a 小学 and an 初中 sheet,
    /// each header stating its full marks where they differ from 100.
    private mutating func writeWide(
        _ url: URL, school: SampleCounty.School, students: [SampleCounty.Student], effect: Double
    ) throws {
        let workbook = try XlsxWorkbook(path: url.path)
        let parts = [
            ("小学", students.filter { ($0.grade.year ?? 0) <= 6 }, 4),
            ("初中", students.filter { ($0.grade.year ?? 0) >= 7 }, 8),
        ]
        for (name, group, sampleYear) in parts where !group.isEmpty {
            let sheet = try workbook.addSheet(name)
            let subjects = Self.subjects(year: sampleYear)
            let headers =
                ["学籍号", "姓名", "学校名称", "年级", "班级"] + subjects.map { $0.1 == 100 ? $0.0 : "\($0.0)（满分\(Int($0.1))）" }
            try sheet.title(0, "\(school.name) \(county.term.label)\(Self.exam)成绩（\(name)）", columns: headers.count)
            try sheet.writeRow(1, headers.map(CellValue.text), style: .header)
            for (index, student) in group.enumerated() {
                let own = Self.subjects(year: student.grade.year ?? 3)
                var cells: [CellValue] = [
                    .text(student.studentNo), .text(student.name), .text(school.name), .text(student.grade.label),
                    .text(student.className),
                ]
                for (subject, full) in subjects {
                    cells.append(own.contains { $0.0 == subject } ? mark(full: full, effect: effect) : .blank)
                }
                try sheet.writeRow(index + 2, cells)
            }
        }
        try workbook.close()
    }

    /// One row per student and subject, with the full mark, as a marking system exports it.
    private mutating func writeLong(
        _ url: URL, school: SampleCounty.School, students: [SampleCounty.Student], effect: Double
    ) throws {
        var text = "学籍号,姓名,学校名称,年级,班级,学科,成绩,满分\r\n"
        for student in students {
            for (subject, full) in Self.subjects(year: student.grade.year ?? 3) {
                let value =
                    switch mark(full: full, effect: effect) {
                    case .number(let score): score == score.rounded() ? String(Int(score)) : String(score)
                    case .text(let word): word
                    default: ""
                    }
                text +=
                    "\(student.studentNo),\(student.name),\(school.name),\(student.grade.label),\(student.className),\(subject),\(value),\(Int(full))\r\n"
            }
        }
        try GB18030Encoder.encode(text).write(to: url)
    }

    /// The resource return: one row per school, two for a 九年一贯制 school. Most schools meet the
    /// standards with room; 石桥乡小学 misses one indicator at about 90 % (still passes), 柳河镇中学
    /// misses two (fails), and the 教学点 is out of scope.
    private mutating func writeResources(_ url: URL) throws {
        let workbook = try XlsxWorkbook(path: url.path)
        let sheet = try workbook.addSheet("办学条件")
        let headers = ResourceTemplate.columns
        try sheet.title(0, "示例县义务教育学校办学条件（\(county.term.startYear) 年度，合成数据）", columns: headers.count)
        try sheet.writeRow(1, headers.map(CellValue.text), style: .header)
        var row = 1
        var counts: [String: Int] = [:]
        for student in county.students {
            let stage: ResourceStage = (student.grade.year ?? 1) <= 6 ? .primary : .junior
            counts["\(student.school)|\(stage.rawValue)", default: 0] += 1
        }
        for (index, school) in county.schools.enumerated() {
            for stage in ResourceStage.allCases {
                guard let students = counts["\(index)|\(stage.rawValue)"] else { continue }
                row += 1
                var factors = ResourceIndicator.allCases.map { _ in Double.random(in: 1.05...1.6, using: &random) }
                if school.name == "石桥乡小学" { factors[5] = 0.9 }
                if school.name == "柳河镇中学" {
                    factors[1] = 0.8
                    factors[4] = 0.7
                }
                let totals: [CellValue] = zip(ResourceIndicator.allCases, factors).map { indicator, factor in
                    let perStudent =
                        Double(indicator.thresholdHundredths(stage)) / 100 / Double(indicator.studentsPerUnit) * factor
                    let total = perStudent * Double(students)
                    return .number(indicator.studentsPerUnit == 100 ? total.rounded(.up) : (total * 10).rounded() / 10)
                }
                let classes = max(1, Int((Double(students) / 42).rounded(.up)))
                let largest = min(
                    students,
                    Int((Double(students) / Double(classes)).rounded(.up)) + Int.random(in: 0...3, using: &random))
                let teachers = Int((Double(students) / (stage == .primary ? 16 : 11.5)).rounded(.up))
                try sheet.writeRow(
                    row,
                    [
                        .text(school.name), .text(school.code), .text(stage.rawValue),
                        .text(school.stage == .nineYear ? "九年一贯制学校" : (stage == .primary ? "完全小学" : "初级中学")),
                        .number(Double(students)),
                    ] + totals + [.number(Double(classes)), .number(Double(largest)), .number(Double(teachers))])
            }
        }
        row += 1
        let point = Self.teachingPoint
        try sheet.writeRow(
            row,
            [
                .text(point.name), .text(point.code), .text("小学"), .text("教学点"), .number(Double(point.students)),
                .number(1), .number(0), .number(0), .number(160), .number(300), .number(60_000), .number(1), .number(4),
                .number(12), .number(4),
            ])
        try workbook.close()
    }

    /// The county values of the previous year's national monitoring, as typed from the report.
    private func writeMonitoring(_ url: URL) throws {
        let workbook = try XlsxWorkbook(path: url.path)
        let sheet = try workbook.addSheet("监测结果")
        try sheet.title(0, "\(county.term.startYear - 1)年国家义务教育质量监测 示例县结果（合成数据）", columns: 6)
        try sheet.writeRow(1, ["年度", "学科", "年级", "学业水平", "校际差异率", "平均分"].map(CellValue.text), style: .header)
        let year = Double(county.term.startYear - 1)
        let rows: [(String, String, String, Double, Double)] = [
            ("数学", "四年级", "Ⅲ", 0.12, 536), ("数学", "八年级", "Ⅲ", 0.16, 521), ("科学", "四年级", "Ⅳ", 0.09, 548),
            ("体育与健康", "四年级", "Ⅱ", 0.11, 493), ("体育与健康", "八年级", "Ⅲ", 0.13, 505),
        ]
        for (index, line) in rows.enumerated() {
            try sheet.writeRow(
                index + 2,
                [.number(year), .text(line.0), .text(line.1), .text(line.2), .number(line.3), .number(line.4)])
        }
        try workbook.close()
    }
}
