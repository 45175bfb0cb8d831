import Foundation
import Ledgers
import Standards

/// Writes a sample county as the files a bureau receives: the school list and the 学籍 roster
/// exports (.xlsx, and one school as a GB18030 CSV saved by Chinese Excel).
public struct SampleFiles {
    public let county: SampleCounty
    /// Seeds the results drawn for the county's students.
    public let seed: UInt64

    public init(county: SampleCounty, seed: UInt64) {
        self.county = county
        self.seed = seed
    }

    /// Writes every file into `folder` and returns their paths; `progress` hears each stage as it
    /// starts (a terminal shows it).
    @discardableResult
    public func write(to folder: URL, progress: (String) -> Void = { _ in }) throws -> [URL] {
        let manager = FileManager.default
        try manager.createDirectory(at: folder, withIntermediateDirectories: true)
        let rosterFolder = folder.appendingPathComponent("roster")
        try manager.createDirectory(at: rosterFolder, withIntermediateDirectories: true)
        progress("学校名单与学籍名册")
        var written = [try writeSchoolList(folder.appendingPathComponent("学校名单.xlsx"))]
        var bySchool = [[SampleCounty.Student]](repeating: [], count: county.schools.count)
        for student in county.students { bySchool[student.school].append(student) }
        for (index, school) in county.schools.enumerated() {
            // The last school arrives as a CSV saved by Chinese Excel; the others as .xlsx exports.
            if index == county.schools.count - 1 {
                let url = rosterFolder.appendingPathComponent("学籍名册_\(safeFileName(school.name)).csv")
                try writeRosterCSV(url, school: school, students: bySchool[index])
                written.append(url)
            } else {
                let url = rosterFolder.appendingPathComponent("学籍名册_\(safeFileName(school.name)).xlsx")
                try writeRosterWorkbook(url, school: school, students: bySchool[index], gradeAsCode: index % 2 == 1)
                written.append(url)
            }
        }
        // Two earlier school years of the same children, so that trends span three school years.
        let lastYear = county.earlierYear()
        let years = [lastYear.earlierYear(), lastYear, county]
        progress("视力筛查（三个学年）")
        var vision = SampleVision(counties: years, random: SeededGenerator(seed: seed &+ 2))
        written += try vision.write(to: folder.appendingPathComponent("vision"))
        let tables = try FitnessTables.bundled.get()
        for (age, year) in years.reversed().enumerated() {
            let suffix = age == 0 ? "" : "-\(year.term)"
            progress("\(year.term.label)的名册、体测、心理筛查与考试成绩")
            if age > 0 { written += try writeRosters(of: year, to: folder.appendingPathComponent("roster" + suffix)) }
            // Fitness improves a little each year (the county's programme at work).
            var fitness = SampleFitness(
                county: year, tables: tables, random: SeededGenerator(seed: seed &+ 1 &+ UInt64(age) &* 100),
                abilityShift: -0.12 * Double(age))
            written += try fitness.write(to: folder.appendingPathComponent("fitness" + suffix))
            guard age < 2 else { continue }
            var psych = SamplePsych(county: year, random: SeededGenerator(seed: seed &+ 3 &+ UInt64(age) &* 100))
            written += try psych.write(to: folder.appendingPathComponent("psych" + suffix))
            var academic = SampleAcademic(county: year, random: SeededGenerator(seed: seed &+ 4 &+ UInt64(age) &* 100))
            written += try academic.write(to: folder, academicFolder: "academic" + suffix, monitoring: age == 0)
        }
        try readme(students: county.students.count).write(
            to: folder.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)
        return written
    }

    /// An earlier school year's rosters (`SampleCounty.earlierYear`).
    private func writeRosters(of year: SampleCounty, to folder: URL) throws -> [URL] {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var bySchool = [[SampleCounty.Student]](repeating: [], count: county.schools.count)
        for student in year.students { bySchool[student.school].append(student) }
        var written: [URL] = []
        for (index, school) in county.schools.enumerated() where !bySchool[index].isEmpty {
            let url = folder.appendingPathComponent("学籍名册_\(safeFileName(school.name)).xlsx")
            try writeRosterWorkbook(url, school: school, students: bySchool[index], gradeAsCode: false)
            written.append(url)
        }
        return written
    }

    private func writeSchoolList(_ url: URL) throws -> URL {
        let workbook = try XlsxWorkbook(path: url.path)
        let sheet = try workbook.addSheet("学校名单")
        let headers = ["学校标识码", "学校名称", "学段", "乡镇/街道", "城区/镇区/乡村"]
        try sheet.title(0, "示例县义务教育学校名单（合成数据）", columns: headers.count)
        try sheet.writeRow(1, headers.map(CellValue.text), style: .header)
        for (index, school) in county.schools.enumerated() {
            try sheet.writeRow(
                index + 2,
                [
                    .text(school.code), .text(school.name), .text(school.stage.rawValue), .text(school.township),
                    .text(school.locality.rawValue),
                ])
        }
        let point = SampleAcademic.teachingPoint
        try sheet.writeRow(
            county.schools.count + 2, [.text(point.code), .text(point.name), .text("教学点"), .text("石桥乡"), .text("乡村")])
        try workbook.close()
        return url
    }

    /// A 学籍系统 export: a title and an export note above the header, dates as Excel dates.
    private func writeRosterWorkbook(
        _ url: URL, school: SampleCounty.School, students: [SampleCounty.Student], gradeAsCode: Bool
    ) throws {
        let workbook = try XlsxWorkbook(path: url.path, constantMemory: students.count > 20_000)
        let sheet = try workbook.addSheet("学生信息")
        let headers = ["序号", "学籍号", "姓名", "性别", "出生日期", "民族", "学校名称", gradeAsCode ? "年级编号" : "年级", "班级"]
        try sheet.title(0, "\(school.name)学生基本信息", columns: headers.count)
        try sheet.note(1, "导出时间：\(county.term.schoolYear)学年  数据来源：全国中小学生学籍信息管理系统（合成示例）")
        try sheet.writeRow(2, headers.map(CellValue.text), style: .header)
        for (index, student) in students.enumerated() {
            // A few transfers arrive before their 学籍号 is issued.
            let number: CellValue = index % 397 == 200 ? .blank : .text(student.studentNo)
            try sheet.writeRow(
                index + 3,
                [
                    .number(Double(index + 1)), number, .text(student.name),
                    .text(gradeAsCode ? String(student.sex.code) : student.sex.label),
                    .date(year: student.birth.year, month: student.birth.month, day: student.birth.day),
                    .text(student.ethnicity), .text(school.name),
                    gradeAsCode ? .number(Double(student.grade.code)) : .text(student.grade.label),
                    .text(student.className),
                ])
        }
        try workbook.close()
    }

    /// What Chinese Excel writes for "CSV (逗号分隔)": GB18030, CRLF, dates as typed text.
    private func writeRosterCSV(_ url: URL, school: SampleCounty.School, students: [SampleCounty.Student]) throws {
        var text = "学籍号,姓名,性别,出生日期,民族代码,学校名称,年级编号,班级\r\n"
        for student in students {
            let code = Ethnicity.code(for: student.ethnicity) ?? 1
            text +=
                "\(student.studentNo),\(student.name),\(student.sex.code),\(student.birth.year)/\(student.birth.month)/\(student.birth.day),\(code),\(school.name),\(student.grade.code),\(student.className)\r\n"
        }
        try GB18030Encoder.encode(text).write(to: url)
    }

    private func readme(students: Int) -> String {
        """
        # 示例数据（合成）

        These files are **synthetic**: made by `jiance samples --students \(students)`, deterministic from
        the seed. No name, 学籍号 or school in them belongs to a real person or school; the 学籍号
        region codes and the 学校标识码 (213713xxxx) are fictitious.

        - `学校名单.xlsx` — the county's school list (学校标识码, 学段, 乡镇/街道, 城区/镇区/乡村).
        - `roster/学籍名册_*.xlsx` — student rosters as the 学籍 system exports them (title rows above
          the header; some with 年级编号 and 性别 1/2, some with grade names and 男/女; a few transfer
          students without 学籍号).
        - `roster/*.csv` — one school's roster saved by Chinese Excel as CSV (GB18030, CRLF).
        - `fitness/体测成绩_*.xlsx` — results of the national student fitness test in the national
          upload template (per-level layouts; some with a title row above the header), with what
          real files hold: 免体/免测 students, a student missing 50米跑, times written `3′45″`,
          `3'45"`, `3.45` and `225`, full-width digits, and one impossible 50 m time (2.1 s) that
          the import rejects.
        - `fitness/*.csv` — one school's results in the full 22-column layout, GB18030.
        - `vision/<term>/视力筛查_*` — autumn vision screenings of three school years (the same students a
          year apart, each school with its own trend), in the national upload table (signed refraction `+0.50`, OK镜 是/否); one school
          as a screening device's CSV (two header rows, decimal acuity, refraction in 度); an eye not
          screened and a text acuity (指数) in each school.
        - `roster-<term>/`, `fitness-<term>/` — the two earlier school years' rosters (the denominators of
          those years: the same children a grade lower, and the leavers of those years) and fitness
          results (the county improving a little each year).
        - `psych/心理筛查_*` — an autumn psychological screening wave of grades 4–9 as a survey platform
          exports it (PHQ-9, GAD-7 with numbers; MHT with 是/否): a few students endorse PHQ item 9,
          some skip an item, some MHT sheets fail the lie scale. Entirely synthetic.
        - `psych-<last year's term>/`, `academic-<last year's term>/` — last year's screening wave and exam.
        - `academic/考试成绩_期中考试_*` — a mid-term exam of grades 3–9, one row per student and a column
          per subject (junior 语数英 out of 120, stated in the header; a 九年一贯制 school has a 小学 and an
          初中 sheet); one school as a marking system's GB18030 CSV with one row per subject and a 满分
          column; a few 缺考 and 免考.
        - `resources/学校办学条件_<year>.xlsx` — each school's resource return of two statistics years (the `jiance template resources`
          columns; 九年一贯制 schools in two rows; one 教学点 under 50 students, out of scope).
        - `resources/国家义务教育质量监测_县域结果_*.xlsx` — the county values of last year's national
          monitoring report (level and 校际差异率 by subject and grade), which take precedence over
          the local estimates.

        Regenerate with `swift run jiance samples --out samples`.
        """
    }
}
