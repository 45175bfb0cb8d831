import Foundation
import Ingest
import Ledgers
import Standards

/// Synthetic fitness results of a sample county in the national upload template: plausible
/// results drawn level by level from the standard's own tables, with the mess real files have
/// (title rows, 免测/免体 markers, a missing item, mixed time formats, a typing error).
public struct SampleFitness {
    let county: SampleCounty
    let tables: FitnessTables
    var random: SeededGenerator
    /// Added to every student's ability: negative for earlier years of an improving county.
    let abilityShift: Double

    public init(county: SampleCounty, tables: FitnessTables, random: SeededGenerator, abilityShift: Double = 0) {
        self.county = county
        self.tables = tables
        self.random = random
        self.abilityShift = abilityShift
    }

    /// The whole county in one national-template CSV with a 学校名称 column (GB18030, CRLF),
    /// written in chunks: the benchmark's province-sized input. Returns the rows written.
    @discardableResult
    public mutating func writeCountyCSV(to url: URL) throws -> Int {
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown)
        }
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        let header =
            ["学校名称", "年级编号", "班级编号", "班级名称", "学籍号", "民族代码", "姓名", "性别", "出生日期", "家庭住址"]
            + FitnessSchema.templateItemOrder.map(\.header)
        var text = header.joined(separator: ",") + "\r\n"
        for (index, student) in county.students.enumerated() {
            let row = makeRow(student, school: county.schools[student.school], position: index % 997)
            text += county.schools[student.school].name + "," + csvLine(row)
            if index % 20_000 == 19_999 {
                try handle.write(contentsOf: GB18030Encoder.encode(text))
                text = ""
            }
        }
        try handle.write(contentsOf: GB18030Encoder.encode(text))
        return county.students.count
    }

    /// Writes one file per school into `folder`: .xlsx in the per-level layout, the last
    /// school's as a GB18030 CSV in the full 22-column layout.
    mutating func write(to folder: URL) throws -> [URL] {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var bySchool = [[SampleCounty.Student]](repeating: [], count: county.schools.count)
        for student in county.students { bySchool[student.school].append(student) }
        var written: [URL] = []
        for (index, school) in county.schools.enumerated() {
            let rows = bySchool[index].enumerated().map { makeRow($1, school: school, position: $0) }
            let base = "体测成绩_\(safeFileName(school.name))"
            if index == county.schools.count - 1 {
                let url = folder.appendingPathComponent(base + ".csv")
                try writeCSV(url, rows: rows)
                written.append(url)
            } else {
                let url = folder.appendingPathComponent(base + ".xlsx")
                try writeWorkbook(url, school: school, rows: rows, withTitle: index % 2 == 0)
                written.append(url)
            }
        }
        return written
    }

    struct Row {
        var student: SampleCounty.Student
        /// Cell texts by template column key (`height`, `weight`, item raw values).
        var cells: [String: String]
    }

    private mutating func makeRow(_ student: SampleCounty.Student, school: SampleCounty.School, position: Int) -> Row {
        var cells: [String: String] = [:]
        let year = student.grade.year ?? 1
        let grade = FitnessGrade(student.grade)
        // Ability: a school effect (urban schools a little better) plus the student's own.
        let schoolEffect = school.locality == .urban ? 0.35 : (school.locality == .town ? 0.1 : -0.2)
        let ability = schoolEffect + abilityShift + random.normal(mean: 0, deviation: 1)
        let height =
            116 + Double(year) * 5.6 + (student.sex == .male ? 1.5 : 0) * Double(max(0, year - 5))
            + random.normal(mean: 0, deviation: 5)
        var bmi = 15.2 + Double(year) * 0.45 + random.normal(mean: 0, deviation: 2.2)
        if random.chance(0.07) { bmi += 5 }  // the obese tail
        bmi = max(bmi, 12.5)
        let weight = bmi * height * height / 10_000
        cells["height"] = String(format: "%.1f", height)
        cells["weight"] = String(format: "%.1f", weight)
        for (item, _) in tables.weights(grade: grade, sex: student.sex) where item != .bmi {
            let levels = tables.levels(item, grade: grade, sex: student.sex)
            guard !levels.isEmpty else { continue }
            let z = ability * 0.75 + random.normal(mean: 0, deviation: 0.75)
            let index = min(max(Int((5.2 - z * 3.6).rounded()), 0), levels.count)
            cells[item.rawValue] = rawText(
                item, value: sampleValue(levels, index: index, item: item), position: position)
        }
        // The mess of real files, at fixed positions so that every run has them.
        switch position {
        case 3: cells = ["height": "免体"]
        case 17: cells[cells.keys.filter { $0 != "height" && $0 != "weight" }.sorted().first ?? "height"] = "免测"
        case 29: cells.removeValue(forKey: FitnessItem.run50m.rawValue)
        case 41: cells["run_50m"] = "2.1"  // a typing error: rejected with the plausible range
        case 53:
            cells["height"] = ValueParsing.normalize(cells["height"] ?? "").map {
                $0.isNumber ? Character(UnicodeScalar($0.unicodeScalars.first!.value + 0xFEE0)!) : $0
            }.map(String.init).joined()
        default: break
        }
        return Row(student: student, cells: cells)
    }

    /// A result inside level `index` (between its threshold and the next better one), or below
    /// the lowest level when `index` is past the table.
    private mutating func sampleValue(_ levels: [FitnessTables.Level], index: Int, item: FitnessItem) -> Double {
        let step = [FitnessItem.run50m, .sitAndReach].contains(item) ? 0.1 : 1
        let direction = item.lowerIsBetter ? -1.0 : 1.0
        if index >= levels.count {
            let below =
                levels[levels.count - 1].threshold - direction * step * Double(Int.random(in: 1...5, using: &random))
            return max(below, item.plausibleRange.lowerBound)
        }
        let threshold = levels[index].threshold
        let better = index > 0 ? levels[index - 1].threshold : threshold + direction * step * 12
        let steps = max(0, Int((abs(better - threshold) / step).rounded()) - 1)
        return threshold + direction * step * Double(Int.random(in: 0...steps, using: &random))
    }

    /// How schools write a value: times m′ss″ in several spellings, others as numbers.
    private func rawText(_ item: FitnessItem, value: Double, position: Int) -> String {
        guard item.isMinuteSecondTime else {
            return [FitnessItem.run50m, .sitAndReach].contains(item)
                ? String(format: "%.1f", value) : String(Int(value.rounded()))
        }
        let total = Int(value.rounded())
        let m = total / 60
        let s = total % 60
        let ss = s < 10 ? "0\(s)" : "\(s)"
        switch position % 7 {
        case 1: return "\(m)'\(ss)\""
        case 2: return "\(m).\(ss)"
        case 3: return "\(total)"
        case 4: return "\(m)’\(ss)”"
        default: return "\(m)′\(ss)″"
        }
    }

    /// Per-level layout (T1 generator): the item columns of the school's grades.
    private func writeWorkbook(_ url: URL, school: SampleCounty.School, rows: [Row], withTitle: Bool) throws {
        let workbook = try XlsxWorkbook(path: url.path, constantMemory: rows.count > 20_000)
        let sheet = try workbook.addSheet("Sheet1")
        let items: [(String, String)] =
            school.stage == .primary
            ? [
                ("身高", "height"), ("体重", "weight"), ("肺活量", "vital_capacity"), ("50米跑", "run_50m"),
                ("坐位体前屈", "sit_and_reach"),
                ("一分钟跳绳", "rope_skip_1min"), ("一分钟仰卧起坐", "sit_up_1min"), ("50米×8往返跑", "shuttle_50x8"),
            ]
            : FitnessSchema.templateItemOrder.map { ($0.header, $0.key) }
        let headers = ["年级编号", "班级编号", "班级名称", "学籍号", "民族代码", "姓名", "性别", "出生日期"] + items.map(\.0)
        var rowIndex = 0
        if withTitle {
            try sheet.title(0, "\(school.name) \(county.term.schoolYear)学年国家学生体质健康标准测试成绩（合成示例）", columns: 8)
            rowIndex = 1
        }
        try sheet.writeRow(rowIndex, headers.map(CellValue.text), style: .header)
        for row in rows {
            rowIndex += 1
            let s = row.student
            let classNumber = Int(s.className.filter(\.isNumber)) ?? 1
            var values: [CellValue] = [
                .number(Double(s.grade.code)), .number(Double(s.grade.code * 100 + classNumber)),
                .text("\(s.grade.label)\(s.className)"),
                .text(s.studentNo), .number(Double(Ethnicity.code(for: s.ethnicity) ?? 1)), .text(s.name),
                .number(Double(s.sex.code)),
                .date(year: s.birth.year, month: s.birth.month, day: s.birth.day),
            ]
            for (_, key) in items { values.append(cell(row, key: key)) }
            try sheet.writeRow(rowIndex, values)
        }
        try workbook.close()
    }

    private func cell(_ row: Row, key: String) -> CellValue {
        let sitUpFemale = key == "sit_up_female"
        let junior = row.student.grade.code > 20
        // In the full layout, junior girls' sit-ups go in the （女） column.
        let source = sitUpFemale ? "sit_up_1min" : key
        if key == "sit_up_1min" && junior { return .blank }
        if sitUpFemale && !junior { return .blank }
        guard let text = row.cells[source] else { return .blank }
        if let number = Double(text),
            !text.contains(".") || ["run_50m", "sit_and_reach", "height", "weight"].contains(key)
        {
            return .number(number)
        }
        return .text(text)
    }

    /// Full 22-column layout, as Chinese Excel saves CSV.
    private func writeCSV(_ url: URL, rows: [Row]) throws {
        let header =
            ["年级编号", "班级编号", "班级名称", "学籍号", "民族代码", "姓名", "性别", "出生日期", "家庭住址"]
            + FitnessSchema.templateItemOrder.map(\.header)
        var text = header.joined(separator: ",") + "\r\n"
        for row in rows { text += csvLine(row) }
        try GB18030Encoder.encode(text).write(to: url)
    }

    /// One template row, CRLF-terminated.
    private func csvLine(_ row: Row) -> String {
        let s = row.student
        let classNumber = Int(s.className.filter(\.isNumber)) ?? 1
        var fields = [
            String(s.grade.code), String(s.grade.code * 100 + classNumber), "\(s.grade.label)\(s.className)",
            s.studentNo,
            String(Ethnicity.code(for: s.ethnicity) ?? 1), s.name, String(s.sex.code),
            "\(s.birth.year)/\(s.birth.month)/\(s.birth.day)", "",
        ]
        for (_, key) in FitnessSchema.templateItemOrder {
            switch cell(row, key: key) {
            case .text(let value): fields.append(csvField(value))
            case .number(let value): fields.append(value == value.rounded() ? String(Int(value)) : String(value))
            default: fields.append("")
            }
        }
        return fields.joined(separator: ",") + "\r\n"
    }
}
