import Foundation
import Ledgers
import Standards

/// Synthetic vision screenings of a sample county: the same students screened in the autumn of
/// several school years, so the demo shows each school's yearly change and its trend. Myopia rises with the year of
/// schooling as in the national figures (RULES.md: 小学 36.7 %, 初中 71.4 % in 2022); some schools
/// improve and some do not. Files come in the national upload layout, and one school's as a
/// device export (two header rows, decimal acuity, refraction in 度).
struct SampleVision {
    /// The county in each screened school year, oldest first.
    let counties: [SampleCounty]
    var random: SeededGenerator

    struct Eye {
        var tenths: Int?
        var text: String?
        var sphere: Int?
        var cylinder: Int?
        var axis: Int?
    }
    struct Screening {
        var student: SampleCounty.Student
        var grade: GradeCode
        var right: Eye
        var left: Eye
        var okLens: Bool
    }

    mutating func write(to folder: URL) throws -> [URL] {
        // Per school: this year's change of myopia risk (negative = improving).
        let schools = counties[0].schools
        let trends = schools.indices.map { index in [-0.035, -0.02, 0.015, -0.01, 0.02, -0.03, 0.0, -0.015][index % 8] }
        // One propensity per student, kept across years, so the same child stays myopic.
        var propensity: [String: Double] = [:]
        var written: [URL] = []
        for (termIndex, county) in counties.enumerated() {
            // Each school's trend builds up year by year, reaching its full size this year.
            let progress = Double(termIndex) / Double(max(1, counties.count - 1))
            let termFolder = folder.appendingPathComponent(county.term.description)
            try FileManager.default.createDirectory(at: termFolder, withIntermediateDirectories: true)
            var bySchool = [[Screening]](repeating: [], count: schools.count)
            for student in county.students {
                let year = student.grade.year ?? 1
                let u = propensity[student.studentNo] ?? Double.random(in: 0..<1, using: &random)
                propensity[student.studentNo] = u
                let risk = 0.08 + 0.075 * Double(year - 1) + trends[student.school] * progress
                bySchool[student.school].append(
                    screening(student, grade: student.grade, myopic: u < risk, position: bySchool[student.school].count)
                )
            }
            for (index, school) in schools.enumerated() where !bySchool[index].isEmpty {
                let base = "视力筛查_\(safeFileName(school.name))"
                if index == 1 {
                    let url = termFolder.appendingPathComponent(base + ".csv")
                    try writeDeviceExport(url, rows: bySchool[index])
                    written.append(url)
                } else {
                    let url = termFolder.appendingPathComponent(base + ".xlsx")
                    try writeNational(url, rows: bySchool[index])
                    written.append(url)
                }
            }
        }
        return written
    }

    private mutating func screening(_ student: SampleCounty.Student, grade: GradeCode, myopic: Bool, position: Int)
        -> Screening
    {
        let year = grade.year ?? 1
        func eye(myopic: Bool) -> Eye {
            if myopic {
                let depth = Int.random(in: 3...(4 + year * 2), using: &random)  // quarter diopters
                let tenths = max(40, 49 - depth / 3 - Int.random(in: 0...1, using: &random))
                return Eye(
                    tenths: tenths, sphere: -250 * depth, cylinder: -250 * Int.random(in: 0...2, using: &random),
                    axis: Int.random(in: 1...180, using: &random))
            }
            let tenths = random.chance(0.08) ? 49 : Int.random(in: 50...53, using: &random)
            return Eye(
                tenths: tenths, sphere: 250 * Int.random(in: -1...3, using: &random),
                cylinder: -250 * Int.random(in: 0...1, using: &random), axis: Int.random(in: 1...180, using: &random))
        }
        var right = eye(myopic: myopic)
        var left = eye(myopic: myopic && random.chance(0.85))
        let okLens = myopic && random.chance(0.03)
        if okLens {
            right = Eye(tenths: 50, sphere: nil, cylinder: nil, axis: nil)
            left = right
        }
        switch position {
        case 7: left = Eye()  // an eye not screened: undetermined
        case 19:
            right.text = "指数"
            right.tenths = nil
        default: break
        }
        return Screening(student: student, grade: grade, right: right, left: left, okLens: okLens)
    }

    /// The national upload table (RULES.md, Columns seen in real exports).
    private func writeNational(_ url: URL, rows: [Screening]) throws {
        let workbook = try XlsxWorkbook(path: url.path, constantMemory: rows.count > 20_000)
        let sheet = try workbook.addSheet("Sheet1")
        let headers = [
            "年级编号", "班级编号", "班级名称", "学籍号", "民族代码", "姓名", "性别", "出生日期", "家庭住址", "右眼裸眼视力", "左眼裸眼视力",
            "右眼屈光球镜S", "右眼屈光柱镜C", "右眼屈光轴位A", "左眼屈光球镜S", "左眼屈光柱镜C", "左眼屈光轴位A", "是否为角膜塑形镜（OK镜）佩戴者",
        ]
        try sheet.writeRow(0, headers.map(CellValue.text), style: .header)
        for (index, row) in rows.enumerated() {
            let s = row.student
            let classNumber = Int(s.className.filter(\.isNumber)) ?? 1
            var values: [CellValue] = [
                .number(Double(row.grade.code)), .number(Double(row.grade.code * 100 + classNumber)),
                .text("\(row.grade.label)\(s.className)"),
                .text(s.studentNo), .number(Double(Ethnicity.code(for: s.ethnicity) ?? 1)), .text(s.name),
                .number(Double(s.sex.code)),
                .date(year: s.birth.year, month: s.birth.month, day: s.birth.day), .blank,
            ]
            values += [acuity(row.right), acuity(row.left)]
            for eye in [row.right, row.left] {
                values += [
                    diopters(eye.sphere), diopters(eye.cylinder), eye.axis.map { .number(Double($0)) } ?? .blank,
                ]
            }
            values.append(.text(row.okLens ? "是" : "否"))
            try sheet.writeRow(index + 1, values)
        }
        try workbook.close()
    }

    private func acuity(_ eye: Eye) -> CellValue {
        if let text = eye.text { return .text(text) }
        return eye.tenths.map { .number(Double($0) / 10) } ?? .blank
    }

    /// Signed text as devices print it: `+0.50`, `-1.25`.
    private func diopters(_ thousandths: Int?) -> CellValue {
        thousandths.map { .text(Diopters(thousandths: $0).description) } ?? .blank
    }

    /// A screening device's export: a title, two header rows, decimal acuity, refraction in 度.
    private func writeDeviceExport(_ url: URL, rows: [Screening]) throws {
        var text = "视力筛查仪导出数据（合成示例）,,,,,,,,,,\r\n学籍号,姓名,性别,年级,裸眼视力,,球镜,,柱镜,,戴镜类型\r\n,,,,右眼,左眼,右眼,左眼,右眼,左眼,\r\n"
        let decimals = Dictionary(
            uniqueKeysWithValues: Acuity.chartRows.map { ($0.tenths, Double($0.decimalThousandths) / 1000) })
        for row in rows {
            func decimal(_ eye: Eye) -> String {
                if let text = eye.text { return text }
                guard let tenths = eye.tenths, let value = decimals[tenths] else { return "--" }
                return String(value)
            }
            func degrees(_ value: Int?) -> String { value.map { String($0 / 10) } ?? "--" }
            let glasses = row.okLens ? "角膜塑形镜" : (row.right.sphere ?? 0 < -1000 ? "框架眼镜" : "不戴镜")
            text +=
                [
                    row.student.studentNo, row.student.name, row.student.sex.label, row.grade.label, decimal(row.right),
                    decimal(row.left),
                    degrees(row.right.sphere), degrees(row.left.sphere), degrees(row.right.cylinder),
                    degrees(row.left.cylinder), glasses,
                ].joined(separator: ",") + "\r\n"
        }
        try GB18030Encoder.encode(text).write(to: url)
    }
}
