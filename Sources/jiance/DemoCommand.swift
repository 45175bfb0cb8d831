import ArgumentParser
import Foundation
import Imports
import Ledgers
import Reports
import Samples
import Services
import Standards
import Store

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "在示例数据上运行完整流程：三个学年的名册、体测、视力、心理、考试与办学条件，报告、自评与趋势，台账导出到输出文件夹")

    @Option(help: ArgumentHelp("示例数据文件夹", valueName: "文件夹"))
    var samples = "samples"

    @Option(help: ArgumentHelp("输出文件夹", valueName: "文件夹"))
    var out = "exports"

    func run() throws {
        let outFolder = URL(fileURLWithPath: out)
        try FileManager.default.createDirectory(at: outFolder, withIntermediateDirectories: true)
        let dbPath = outFolder.appendingPathComponent("demo.sqlite").path
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: dbPath + suffix) }
        let db = try JianceDatabase(path: dbPath)
        guard let term = Term("2025-2026-1") else { return }
        let sampleFolder = URL(fileURLWithPath: samples)
        if !FileManager.default.fileExists(atPath: sampleFolder.appendingPathComponent("学校名单.xlsx").path) {
            print("没有找到示例数据（\(samples)/学校名单.xlsx），先生成示例县：")
            try SamplesCommand.generate(out: samples)
        }
        /// Findings of every import by severity: data errors, data warnings, notes.
        var problems: [Finding.Severity: Int] = [:]
        let service = ImportService(database: db)
        for group in try SampleImportPlan.plan(folder: sampleFolder, term: term) {
            print("\n== \(group.heading) ==")
            for sample in group.imports {
                let outcome = try service.importFile(sample.file, sample.request)
                if sample.detailed {
                    Output.printOutcome(outcome)
                } else {
                    let errors = outcome.findings.filter { $0.severity == .error }.count
                    let warnings = outcome.findings.filter { $0.severity == .warning }.count
                    print(
                        "\(outcome.fileName)：读取 \(outcome.counts.read) 行，接受 \(outcome.counts.accepted) 行，拒绝 \(outcome.counts.rejected) 行（错误 \(errors) 条、警告 \(warnings) 条\(errors + warnings > 0 ? outcome.batchID.map { "；逐条查看：jiance batches \($0) --db \(dbPath)" } ?? "" : "")）"
                    )
                }
                for finding in outcome.findings { problems[finding.severity, default: 0] += 1 }
            }
        }

        // Each report is built once: printed here, then written to the county and trend workbooks.
        // The demo's "today", a few days after the samples' autumn screening, so that runs agree.
        let today = CalendarDate(year: term.startYear, month: 10, day: 20)!
        let assessment = try CountyAssessment.load(from: db, term: term, today: today)
        if let fitness = assessment.fitness {
            print("\n== 体质健康目标 ==")
            ReportCommand.printTable(fitness)
        }
        if let vision = assessment.vision {
            print("\n== 近视率及其年度下降 ==")
            ReportCommand.printTable(vision)
        }
        if let psych = assessment.psych {
            print("\n== 心理筛查（只显示人数）==")
            ReportCommand.printTable(psych)
        }
        AssessmentOutput.printSections(assessment) { "== \($0) ==" }

        print("\n== 逐学期趋势 ==")
        let trend = try TrendReport.load(from: db)
        TrendOutput.printTable(trend, schoolsToo: false)

        print("\n== 导出台账（个人信息已脱敏）==")
        let exporter = ExportService(database: db)
        var written = try exporter.exportSchoolLedgers(term: term, to: outFolder, trend: trend)
        written.append(try exporter.exportCounty(assessment, to: outFolder))
        written.append(try exporter.exportTrend(trend, folder: outFolder))
        if let school = try PsychQueries(database: db).schoolIDs(term: term).first,
            let info = try db.schools().first(where: { $0.id == school })
        {
            written.append(try exporter.exportPsych(school: info.name, to: outFolder, date: today))
        }
        for file in written { print("已写入 \(file.path)") }

        // What a class teacher prints and hands out: one class's notices, named for the families.
        if let first = try VisionQueries(database: db).screenings(term: term).first,
            let school = try db.schools().first(where: { $0.id == first.observation.schoolID }),
            let grade = first.observation.grade, let className = first.observation.className
        {
            print("\n== 告知书：\(school.name) \(grade.label)\(className)（含姓名，仅所有者可读，已记入审计日志）==")
            let notices = [
                try exporter.exportVisionNotices(
                    school: school.name, className: grade.label + className, term: term, to: outFolder,
                    date: today),
                try exporter.exportFitnessNotices(
                    school: school.name, className: grade.label + className, term: term, to: outFolder,
                    date: today),
            ]
            for (url, count) in notices { print("已写入 \(url.path)（\(count) 份）") }
            written += notices.map(\.url)
        }

        print("\n== 概况 ==")
        print(
            "学校 \(try db.schools().count) 所，在校学生 \(try RosterQueries(database: db).enrolmentCounts(term: term).values.reduce(0, +)) 人，工作簿 \(written.count) 个。"
        )
        print(
            "导入发现：数据错误 \(problems[.error] ?? 0) 条（这些行未导入）、数据警告 \(problems[.warning] ?? 0) 条、提示 \(problems[.info] ?? 0) 条；示例数据有意包含这些问题，详见上方各文件的输出。"
        )
        print("数据库：\(dbPath)")
    }

}
