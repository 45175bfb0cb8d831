import ArgumentParser
import Foundation
import Indicators
import Ledgers
import Standards
import Store

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "目标与实际：全县与各校的体质健康优良率、及格率")

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json }

    @Option(help: "学期（默认：数据库中最新有体测成绩的学期）")
    var term: Term?

    @Option(help: "只看这所学校（名称或学校标识码）")
    var school: String?

    @Option(help: "输出格式：table 或 json")
    var format: Format = .table

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let db = try JianceDatabase(path: database.path)
        guard let term = try term ?? FitnessQueries(database: db).terms().last else {
            throw ValidationError("数据库中还没有体测成绩，请先 jiance import fitness")
        }
        let report = try FitnessReport(database: db, term: term, school: school)
        switch format {
        case .table: ReportCommand.printTable(report)
        case .json: print(ReportJSON.fitness(report))
        }
    }

    static func printTable(_ report: FitnessReport) {
        let t = report.targets
        print("国家学生体质健康标准 \(report.term.label)　目标：优良率 ≥ \(percent(t.goodOrBetter))，及格率 ≥ \(percent(t.passing))")
        print("（优良率、及格率的分母为测试完整的学生；免测与测试不完整的学生另计）\n")
        var lines = [["学校", "在籍", "测试", "免测", "不完整", "优秀率", "优良率", "", "及格率", "", "不及格"]]
        func line(_ name: String, _ enrolled: Int?, _ s: FitnessSummary) -> [String] {
            let meets = s.meets(t)
            return [name, enrolled.map(String.init) ?? "", String(s.tested), String(s.exempt), String(s.incomplete), s.excellentRate.percentText,
                    s.goodOrBetterRate.percentText, mark(meets.goodOrBetter), s.passingRate.percentText, mark(meets.passing), String(s.count(.fail))]
        }
        lines.append(line("全县", report.enrolled, report.county))
        for school in report.schools { lines.append(line(school.school.name, school.enrolled, school.summary)) }
        print(TextTable.render(lines))
        let missing = report.schools.filter { $0.summary.meets(t).goodOrBetter == false }.map(\.school.name)
        if !missing.isEmpty { print("\n优良率未达标：\(missing.joined(separator: "、"))") }
    }

    private static func mark(_ value: Bool?) -> String { value.map { $0 ? "达标" : "未达标" } ?? "—" }
    private static func percent(_ value: Double) -> String { Rate(Int((value * 1000).rounded()), of: 1000).percentText }
}

/// Columns aligned for a terminal, counting CJK characters double.
enum TextTable {
    static func render(_ rows: [[String]]) -> String {
        let columns = rows.map(\.count).max() ?? 0
        var widths = [Int](repeating: 0, count: columns)
        for row in rows { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], XlsxSheet.displayWidth(cell)) } }
        return rows.map { row in
            row.enumerated().map { index, cell in
                let pad = String(repeating: " ", count: widths[index] - XlsxSheet.displayWidth(cell))
                return index == 0 ? cell + pad : pad + cell
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}

/// JSON of reports, stable for scripts.
enum ReportJSON {
    static func fitness(_ report: FitnessReport) -> String {
        func summary(_ s: FitnessSummary, name: String, code: String?, enrolled: Int) -> String {
            let meets = s.meets(report.targets)
            func rate(_ r: Rate) -> String { r.value.map { String(format: "%.4f", $0) } ?? "null" }
            func flag(_ b: Bool?) -> String { b.map { $0 ? "true" : "false" } ?? "null" }
            let bmi = BMICategory.allCases.map { "\"\($0.rawValue)\":\(s.bmi[$0] ?? 0)" }.joined(separator: ",")
            return "{\"name\":\(JSONText.quoted(name)),\"code\":\(code.map(JSONText.quoted) ?? "null"),\"enrolled\":\(enrolled),\"measured\":\(s.measured),\"tested\":\(s.tested),\"exempt\":\(s.exempt),\"incomplete\":\(s.incomplete),"
                + "\"excellent\":\(s.count(.excellent)),\"good\":\(s.count(.good)),\"pass\":\(s.count(.pass)),\"fail\":\(s.count(.fail)),"
                + "\"excellent_rate\":\(rate(s.excellentRate)),\"good_or_better_rate\":\(rate(s.goodOrBetterRate)),\"passing_rate\":\(rate(s.passingRate)),"
                + "\"meets_good_or_better\":\(flag(meets.goodOrBetter)),\"meets_passing\":\(flag(meets.passing)),\"bmi\":{\(bmi)}}"
        }
        let schools = report.schools.map { summary($0.summary, name: $0.school.name, code: $0.school.code, enrolled: $0.enrolled) }
        return "{\"term\":\"\(report.term)\",\"fitness\":{\"targets\":{\"good_or_better\":\(report.targets.goodOrBetter),\"passing\":\(report.targets.passing)},"
            + "\"county\":\(summary(report.county, name: "全县", code: nil, enrolled: report.enrolled)),\"schools\":[\(schools.joined(separator: ","))]}}"
    }
}
