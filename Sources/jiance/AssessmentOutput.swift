import Foundation
import Indicators
import Reports
import Standards
import Store

/// Terminal and JSON output of the self-assessment parts of `jiance report`.
enum AssessmentOutput {
    static func mark(_ value: Bool?) -> String { Verdict.label(value) }

    /// Resources, academic quality and the summary, each after a blank line and `heading(title)`.
    static func printSections(_ assessment: CountyAssessment, heading: (String) -> String) {
        func section(_ title: String) {
            print("")
            let line = heading(title)
            if !line.isEmpty { print(line) }
        }
        if let resources = assessment.resources {
            section("资源配置")
            printTable(resources)
        }
        if let academic = assessment.academic {
            section("学业质量")
            printTable(academic)
        }
        section("自评汇总")
        printTable(assessment)
    }

    static func printTable(_ report: ResourceReport) {
        print("资源配置七项指标（\(report.year) 年度）　合格：\(ResourceEvaluation.rule)；差异系数按在校生加权，\(ResourceBalance.rule)\n")
        var lines = [["学校", "学段", "在校生"] + ResourceIndicator.allCases.map(\.shortName) + ["达标项", "合格"]]
        for evaluation in report.evaluations {
            let part = evaluation.part
            let values: [String] = ResourceIndicator.allCases.map { indicator in
                guard let result = evaluation.results.first(where: { $0.indicator == indicator }) else { return "—" }
                return ResourceEvaluation.format(result.value) + (result.met ? "" : "✗")
            }
            let verdict: String = evaluation.passes.map { $0 ? "合格" : "不合格" } ?? "缺数据"
            lines.append(
                [part.school, part.stage.rawValue, String(part.students)] + values + [
                    String(evaluation.metCount), verdict,
                ])
        }
        print(TextTable.render(lines, leftAligned: 2))
        print("")
        var balance = [["学段", "指标", "学校数", "差异系数", "上限", ""]]
        for b in report.balances {
            balance.append([
                b.stage.rawValue, b.indicator.shortName, String(b.schools), b.cv?.text ?? "—",
                String(format: "%.2f", b.stage.maximumCV), mark(b.meets),
            ])
        }
        print(TextTable.render(balance, leftAligned: 2))
        for evaluation in report.evaluations where evaluation.passes != true {
            print(
                "\(evaluation.part.school)（\(evaluation.part.stage.rawValue)）：\(evaluation.reasons.joined(separator: "；"))"
            )
        }
        for excluded in report.excluded { print("不参评：\(excluded.school)（\(excluded.reason)）") }
    }

    static func printTable(_ report: AcademicReport) {
        print("学业质量 \(report.term.label)" + (report.exam.map { "　考试：\($0)" } ?? "　（本学期没有考试成绩，仅有质量监测报告值）"))
        print(report.settings.description)
        print("目标：学业水平 ≥ Ⅲ，校际差异率 < \(report.settings.target.maximumDifference)；有国家质量监测报告值时以报告为准，否则为本地预估（预估）\n")
        var lines = [["年级", "学科", "参考", "缺考", "平均分", "得分率", "本地水平", "Ⅳ", "Ⅲ", "Ⅱ", "Ⅰ", "差异率预估", "监测水平", "监测差异率", ""]]
        for group in report.groups {
            let c = group.county
            let mean: String = c.mean.map { String(format: "%.1f", $0) } ?? "—"
            let head: [String] = [
                group.grade.label, group.subject, String(c.scored), String(c.absent), mean, c.meanPercent.percentText,
                group.countyBand?.level.label ?? "—",
            ]
            let shares: [String] = AcademicLevel.allCases.reversed().map {
                Rate(c.levels[$0] ?? 0, of: c.scored).percentText
            }
            let estimate: String =
                group.estimate.map { String(format: "%.3f", $0.value(report.settings.method)) } ?? "—"
            let official: String = group.official?.difference.map { String(format: "%.3f", $0) } ?? "—"
            lines.append(
                head + shares + [estimate, group.official?.level?.label ?? "—", official, mark(report.meets(group))])
        }
        print(TextTable.render(lines, leftAligned: 2))
    }

    static func printTable(_ assessment: CountyAssessment) {
        let tally = assessment.tally
        print(
            "县域义务教育优质均衡发展 自评汇总 \(assessment.term.label)　达标 \(tally.met) 项，未达标 \(tally.failed) 项，无数据 \(tally.missing) 项\n"
        )
        var lines = [["维度", "指标", "实际值", "标准", ""]]
        for item in assessment.items {
            lines.append([item.dimension, item.name, item.value, item.threshold, item.judged ? mark(item.passes) : "—"])
        }
        print(TextTable.render(lines, leftAligned: 4))
    }
}
