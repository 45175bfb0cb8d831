import Foundation
import Ledgers
import Standards

/// A synthetic autumn psychological screening wave of grades 4–9 as a survey platform exports it
/// (one file per scale, a school column, item columns Q1…): PHQ-9 and GAD-7 with numeric answers,
/// MHT with 是/否. Most students answer low; a few endorse PHQ item 9; some skip an item; some
/// MHT sheets fail the lie scale.
struct SamplePsych {
    let county: SampleCounty
    var random: SeededGenerator

    mutating func write(to folder: URL) throws -> [URL] {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let students = county.students.filter { (14...24).contains($0.grade.code) && random.chance(0.96) }
        var written: [URL] = []
        for (scale, file) in [("phq9", "PHQ9"), ("gad7", "GAD7"), ("mht", "MHT")] {
            let url = folder.appendingPathComponent("心理筛查_\(file)_\(county.term.description).xlsx")
            try writeWave(url, scale: try PsychScale.named(scale), students: students)
            written.append(url)
        }
        return written
    }

    private mutating func writeWave(_ url: URL, scale: PsychScale, students: [SampleCounty.Student]) throws {
        let workbook = try XlsxWorkbook(path: url.path, constantMemory: students.count > 20_000)
        let sheet = try workbook.addSheet("答卷")
        let items = (1...scale.itemCount).map { "Q\($0)" }
        try sheet.writeRow(0, (["学籍号", "姓名", "学校名称", "年级", "班级"] + items).map(CellValue.text), style: .header)
        for (index, student) in students.enumerated() {
            // Distress: most students low, a tail higher.
            let distress = max(0, random.normal(mean: 0.12, deviation: 0.3))
            var cells: [CellValue] = [
                .text(student.studentNo), .text(student.name), .text(county.schools[student.school].name),
                .text(student.grade.label), .text(student.className),
            ]
            for item in 1...scale.itemCount {
                var value = min(
                    scale.maxValue,
                    max(
                        scale.minValue,
                        Int(
                            (distress * Double(scale.maxValue) * Double.random(in: 0.3...1.3, using: &random)).rounded()
                        )))
                if scale.id == "mht" { value = random.chance(min(0.8, 0.08 + distress * 0.35)) ? 1 : 0 }
                if scale.id == "mht", item == 85 || item == 97 { value = random.chance(0.003) ? 1 : 0 }
                if scale.id == "phq9", item == 9 { value = random.chance(distress > 0.8 ? 0.3 : 0.004) ? 1 : 0 }
                if scale.validityItems.contains(item) { value = random.chance(index % 40 == 3 ? 0.95 : 0.2) ? 1 : 0 }
                if index % 113 == 57, item == 4 {
                    cells.append(.blank)
                    continue
                }  // a skipped item
                cells.append(scale.id == "mht" ? .text(value == 1 ? "是" : "否") : .number(Double(value)))
            }
            try sheet.writeRow(index + 1, cells)
        }
        try workbook.close()
    }
}
