import ArgumentParser
import Foundation
import Ledgers
import Standards
import Store

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "在 samples/ 上运行完整流程：新建数据库，导入名册、体测、视力、心理、考试、办学条件与质量监测，输出报告与自评，导出台账到 exports/")

    @Option(help: "示例数据文件夹")
    var samples = "samples"

    @Option(help: "输出文件夹")
    var out = "exports"

    func run() throws {
        let outFolder = URL(fileURLWithPath: out)
        try FileManager.default.createDirectory(at: outFolder, withIntermediateDirectories: true)
        let dbPath = outFolder.appendingPathComponent("demo.sqlite").path
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: dbPath + suffix) }
        let db = try JianceDatabase(path: dbPath)
        guard let term = Term("2025-2026-1") else { return }
        let sampleFolder = URL(fileURLWithPath: samples)
        var problems = 0
        /// Imports every file of a folder with `importFile`, printing each outcome.
        func importAll(_ urls: [URL], quiet: Bool = false, _ importFile: (URL) throws -> ImportOutcome) throws {
            for url in urls {
                let outcome = try importFile(url)
                if quiet {
                    print("\(outcome.fileName)：读取 \(outcome.counts.read) 份，接受 \(outcome.counts.accepted) 份，拒绝 \(outcome.counts.rejected) 份（提示 \(outcome.findings.count) 条，详见 jiance import 的输出）")
                } else {
                    Output.printOutcome(outcome)
                }
                problems += outcome.findings.count
            }
        }

        print("== 导入学校名单与学籍名册（\(term.label)）==")
        let rosterImporter = RosterImporter(database: db)
        try importAll([sampleFolder.appendingPathComponent("学校名单.xlsx")] + files(in: sampleFolder.appendingPathComponent("roster"))) {
            try rosterImporter.importFile($0, term: term)
        }

        print("\n== 导入体测成绩（国家学生体质健康标准上报模板）==")
        let fitnessImporter = FitnessImporter(database: db, scorer: try FitnessScorer.bundled())
        try importAll(files(in: sampleFolder.appendingPathComponent("fitness"))) { try fitnessImporter.importFile($0, term: term) }

        let lastYear = term.sameSeasonLastYear
        print("\n== 导入去年的学籍名册（\(lastYear.label)）==")
        try importAll(files(in: sampleFolder.appendingPathComponent("roster-\(lastYear)"))) { try rosterImporter.importFile($0, term: lastYear) }

        print("\n== 导入两年的视力筛查（\(lastYear.label)、\(term.label)）==")
        let visionImporter = VisionImporter(database: db)
        for screeningTerm in [lastYear, term] {
            try importAll(files(in: sampleFolder.appendingPathComponent("vision/\(screeningTerm)"))) { try visionImporter.importFile($0, term: screeningTerm) }
        }

        print("\n== 导入心理筛查（PHQ-9、GAD-7、MHT）==")
        let psychImporter = PsychImporter(database: db)
        try importAll(files(in: sampleFolder.appendingPathComponent("psych")), quiet: true) { url in
            let id = ["PHQ9": "phq9", "GAD7": "gad7", "MHT": "mht"].first { url.lastPathComponent.contains($0.key) }?.value ?? "phq9"
            return try psychImporter.importFile(url, term: term, scale: try PsychScale.named(id), wave: "\(term.schoolYear)学年秋季心理筛查", screenedOn: "\(term.startYear)-10-15")
        }

        print("\n== 导入考试成绩、学校办学条件与国家质量监测结果 ==")
        let academicImporter = AcademicImporter(database: db)
        try importAll(files(in: sampleFolder.appendingPathComponent("academic")), quiet: true) { try academicImporter.importFile($0, term: term, exam: "期中考试") }
        let resourceFolder = sampleFolder.appendingPathComponent("resources")
        try importAll(files(in: resourceFolder).filter { $0.lastPathComponent.hasPrefix("学校办学条件") }) { try ResourceImporter(database: db).importFile($0, year: term.startYear) }
        try importAll(files(in: resourceFolder).filter { $0.lastPathComponent.contains("质量监测") }) { try MonitoringImporter(database: db).importFile($0, term: term, defaultYear: nil) }

        print("\n== 体质健康目标 ==")
        try ReportCommand.printTable(try FitnessReport(database: db, term: term))
        print("\n== 近视率及其年度下降 ==")
        ReportCommand.printTable(try VisionReport(database: db, term: term))

        print("\n== 心理筛查（只显示人数）==")
        ReportCommand.printTable(try PsychReport(database: db, term: term, reviewDays: 3, today: "\(term.startYear)-10-20"))

        let assessment = try CountyAssessment(database: db, term: term, today: "\(term.startYear)-10-20")
        AssessmentOutput.printSections(assessment) { "== \($0) ==" }

        print("\n== 导出台账（个人信息已脱敏）==")
        let exporter = LedgerExporter(database: db)
        var written = try exporter.exportSchoolLedgers(term: term, to: outFolder)
        written.append(try exporter.exportCounty(term: term, to: outFolder, today: "\(term.startYear)-10-20"))
        if let school = try PsychQueries(database: db).schoolIDs(term: term).first, let info = try queries(db).schools().first(where: { $0.id == school }) {
            written.append(try exporter.exportPsych(school: info.name, to: outFolder, date: "\(term.startYear)-10-20"))
        }
        for file in written { print("已写入 \(file.path)") }

        let queries = queries(db)
        print("\n== 概况 ==")
        print("学校 \(try queries.schools().count) 所，在校学生 \(try queries.enrolmentCounts(term: term).values.reduce(0, +)) 人，导入问题 \(problems) 条，工作簿 \(written.count) 个。")
        print("数据库：\(dbPath)")
    }

    private func queries(_ db: JianceDatabase) -> RosterQueries { RosterQueries(database: db) }

    private func files(in folder: URL) throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { ["xlsx", "csv"].contains($0.pathExtension.lowercased()) }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }
}
