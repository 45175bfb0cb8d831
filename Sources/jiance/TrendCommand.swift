import ArgumentParser
import Foundation
import Indicators
import Reports
import Services
import Standards
import Store

struct TrendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trend",
        abstract: "逐学期比较：全县与各校各项指标的历次数值、与上一可比学期的变化及是否达到目标，跟踪同一批学生（队列），列出需要关注的学校（仅供内部）")

    @Option(help: ArgumentHelp("起始学期（默认：最早有数据的学期）", valueName: "学期"))
    var from: Term?

    @Option(help: ArgumentHelp("结束学期（默认：最新有数据的学期）", valueName: "学期"))
    var to: Term?

    @Option(help: ArgumentHelp("只看这所学校（名称或学校标识码）", valueName: "学校"))
    var school: String?

    @Option(help: ArgumentHelp("输出格式：table 或 json", valueName: "格式"))
    var format: TableOrJSON = .table

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var settings: SettingsOptions

    func run() throws {
        let db = try database.existing()
        if let school { _ = try database.school(school, in: db) }
        if let from, let to, from > to { throw ValidationError("--from \(from) 晚于 --to \(to)；起始学期应在前") }
        let report = try TrendReport.load(
            from: db, since: from, through: to, school: school, settings: try settings.load().county)
        guard !report.terms.isEmpty else { throw NothingMatched("所选范围内没有任何学期的数据") }
        switch format {
        case .table: TrendOutput.printTable(report, schoolsToo: school != nil)
        case .json: print(try JSONOutput.text(TrendJSON(report)))
        }
    }
}

/// Terminal and JSON output of `jiance trend`.
enum TrendOutput {
    static func text(_ value: TrendValue?, _ indicator: TrendIndicator) -> String {
        guard let value else { return "—" }
        switch indicator.unit {
        case .percent: return value.rate?.percentText ?? String(format: "%.1f%%", value.value * 100)
        case .count: return String(Int(value.value))
        case .ratio: return String(format: "%.3f", value.value)
        }
    }

    static func change(_ change: TrendChange?, _ indicator: TrendIndicator) -> String {
        guard let change else { return "—" }
        // Rounded first and +0 added, so that a tiny fall prints as +0.0, not −0.0.
        switch indicator.unit {
        case .percent: return String(format: "%+.2f 百分点", (change.delta * 100).rounded() / 100 + 0)
        case .count: return String(format: "%+d", Int(change.delta))
        case .ratio: return String(format: "%+.3f", (change.delta * 1000).rounded() / 1000 + 0)
        }
    }

    static func printTable(_ report: TrendReport, schoolsToo: Bool) {
        let terms = report.terms
        guard let first = terms.first, let last = terms.last else {
            print("没有任何学期的数据，无法比较趋势。")
            return
        }
        print("逐学期趋势：\(first.label) 至 \(last.label)（视力与去年同季比较，其他指标与上一有数据的学期比较）\n")
        func table(_ series: [TrendIndicator: TrendSeries]) -> [[String]] {
            var lines = [["指标"] + terms.map(\.description) + ["最近变化", "目标", ""]]
            for indicator in TrendIndicator.allCases {
                guard let s = series[indicator], let last = s.values.keys.max() else { continue }
                let change = s.change(at: last, targets: report.targets)
                lines.append(
                    [indicator.name] + terms.map { text(s.values[$0], indicator) }
                        + [
                            self.change(change, indicator), indicator.targetText(report.targets) ?? "",
                            s.verdict(at: last, targets: report.targets)?.rawValue ?? "—",
                        ])
            }
            return lines
        }
        print("全县")
        print(TextTable.render(table(report.county)))
        if schoolsToo {
            for school in report.schools {
                print("\n\(school.school.name)")
                print(TextTable.render(table(school.series)))
            }
        }
        printCohorts(report.cohorts)
        print("\n需要关注的学校（按距目标远近排列，仅供教育局内部跟踪，不公布、不排名）")
        var any = false
        for indicator in TrendIndicator.schoolTargets {
            let list = report.attention(indicator)
            guard !list.isEmpty, let term = report.latestTerm(indicator) else { continue }
            any = true
            let names = list.map {
                "\($0.school.name) \(text($0.value, indicator))（差 \(String(format: "%.2f", $0.gap)) 个百分点）"
            }
            print("\(indicator.name)（\(term.label)）：" + names.joined(separator: "；"))
        }
        if !any { print(report.nobodyToWatch) }
    }

    static func printCohorts(_ cohorts: CohortReport) {
        guard cohorts.fitness != nil || cohorts.vision != nil || cohorts.psych != nil else { return }
        print("\n跟踪同一批学生（按学籍号，转学学生仍是同一人）")
        if let f = cohorts.fitness {
            print(
                "体质健康 \(f.from) → \(f.to)：两次都有等级 \(f.followed) 人，等级上升 \(f.improved) 人，下降 \(f.declined) 人；失访 \(f.lost.stillEnrolled) 人（仍在籍未测），离校 \(f.lost.notEnrolled) 人"
            )
            var lines = [["上次＼本次"] + FitnessRating.allCases.map(\.rawValue)]
            for from in FitnessRating.allCases {
                lines.append([from.rawValue] + FitnessRating.allCases.map { String(f.count(from, $0)) })
            }
            print(TextTable.render(lines))
        }
        if let v = cohorts.vision {
            print(
                "视力 \(v.from) → \(v.to)：新发近视率 \(v.newMyopia.percentText)（\(v.newMyopia.numerator)/\(v.newMyopia.denominator)）；失访 \(v.lost.stillEnrolled) 人（仍在籍未筛查），离校 \(v.lost.notEnrolled) 人"
            )
        }
        if let p = cohorts.psych {
            print(
                "心理筛查 \(p.from) → \(p.to)：风险等级上升 \(p.rose) 人，下降 \(p.fell) 人，不变 \(p.same) 人；失访 \(p.lost.stillEnrolled) 人（仍在籍未筛查），离校 \(p.lost.notEnrolled) 人"
            )
        }
    }
}
