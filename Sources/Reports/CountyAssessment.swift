import Foundation
import Indicators
import Standards
import Store

/// The county self-assessment (县级自评) for 县域义务教育优质均衡发展督导评估: every indicator
/// with its value, threshold, pass and the data it came from, by dimension. The detailed reports
/// behind it are kept for the workbook's dimension sheets.
public struct CountyAssessment: Sendable {
    public struct Item: Sendable {
        public var dimension: String
        public var name: String
        public var value: String
        public var threshold: String
        /// Nil when the data are missing.
        public var passes: Bool?
        public var source: String
        /// False for figures shown for reference, without a national threshold.
        public var judged = true
        /// Psychological figures (counts only): never shown to a school's account.
        public var psychological = false
    }

    public var term: Term
    public var settings: CountySettings
    public var resources: ResourceReport?
    public var academic: AcademicReport?
    public var fitness: FitnessReport?
    public var vision: VisionReport?
    public var psych: PsychReport?
    public var healthRecord: HealthRecordReport?
    public var items: [Item] = []

    /// The assessment from the term's reports, each nil when its data are missing; an academic
    /// report without groups or a health-record report without enrolled students counts as missing.
    public init(
        term: Term, settings: CountySettings = CountySettings(), resources: ResourceReport?,
        academic: AcademicReport?, fitness: FitnessReport?, vision: VisionReport?, psych: PsychReport?,
        healthRecord: HealthRecordReport?
    ) {
        self.term = term
        self.settings = settings
        self.resources = resources
        self.academic = academic.flatMap { $0.groups.isEmpty ? nil : $0 }
        self.fitness = fitness
        self.vision = vision
        self.psych = psych
        self.healthRecord = healthRecord.flatMap { $0.county.enrolled > 0 ? $0 : nil }
        items = resourceItems() + academicItems() + healthItems() + figureItems()
    }

    /// Loads the reports of `term` that have data (`exam`: the term's latest when nil); the
    /// psychological follow-ups are judged as of `today`.
    public static func load(
        from database: JianceDatabase, term: Term, settings: CountySettings = CountySettings(), exam: String? = nil,
        today: CalendarDate
    ) throws -> CountyAssessment {
        var reports:
            (
                resources: ResourceReport?, academic: AcademicReport?, fitness: FitnessReport?, vision: VisionReport?,
                psych: PsychReport?, healthRecord: HealthRecordReport?
            )
        for loaded in try TermReport.load([
            { try ResourceReport.load(from: database, year: term.startYear).map { .resources($0, term) } },
            { .academic(try AcademicReport.load(from: database, term: term, exam: exam, settings: settings.academic)) },
            {
                try FitnessQueries(database: database).terms().contains(term)
                    ? .fitness(try FitnessReport.load(from: database, term: term, targets: settings.fitness)) : nil
            },
            {
                try VisionQueries(database: database).terms().contains(term)
                    ? .vision(
                        try VisionReport.load(
                            from: database, term: term, settings: settings.vision, target: settings.myopia)) : nil
            },
            {
                try PsychQueries(database: database).terms().contains(term)
                    ? .psych(
                        try PsychReport.load(
                            from: database, term: term, reviewDays: settings.psychReviewDays, today: today,
                            settings: settings.psych)) : nil
            },
            { .healthRecord(try HealthRecordReport.load(from: database, term: term, kinds: settings.healthRecord)) },
        ]) {
            switch loaded {
            case .resources(let report, _): reports.resources = report
            case .academic(let report): reports.academic = report
            case .fitness(let report): reports.fitness = report
            case .vision(let report): reports.vision = report
            case .psych(let report): reports.psych = report
            case .healthRecord(let report): reports.healthRecord = report
            }
        }
        return CountyAssessment(
            term: term, settings: settings, resources: reports.resources, academic: reports.academic,
            fitness: reports.fitness, vision: reports.vision, psych: reports.psych, healthRecord: reports.healthRecord)
    }

    public var dimensions: [String] { ["资源配置", "学业质量", "学生健康", "其他县级指标"] }

    private func resourceItems() -> [Item] {
        let dimension = "资源配置"
        guard let resources else {
            return [
                Item(
                    dimension: dimension, name: "七项资源配置指标", value: "未导入", threshold: "每校 \(ResourceEvaluation.rule)",
                    passes: nil,
                    source: "jiance import resources 文件 --year 年度")
            ]
        }
        let source = "学校办学条件 \(resources.year) 年度"
        var items: [Item] = []
        for stage in ResourceStage.allCases {
            let parts = resources.evaluations(stage)
            guard !parts.isEmpty else { continue }
            let passing = parts.filter { $0.passes == true }.count
            let undecided = parts.filter { $0.passes == nil }.count
            items.append(
                Item(
                    dimension: dimension, name: "资源配置达标学校（\(stage.rawValue)）",
                    value: "\(passing)/\(parts.count) 所" + (undecided > 0 ? "（\(undecided) 所缺数据）" : ""),
                    threshold: "每校 \(ResourceEvaluation.rule)", passes: undecided > 0 ? nil : passing == parts.count,
                    source: source))
            for balance in resources.balances where balance.stage == stage {
                items.append(
                    Item(
                        dimension: dimension, name: "差异系数：\(balance.indicator.name)（\(stage.rawValue)）",
                        value: balance.cv?.text ?? "—",
                        threshold: "≤ \(String(format: "%.2f", stage.maximumCV))", passes: balance.meets,
                        source: "\(source)，\(balance.schools) 所学校，按在校生加权"))
            }
            let withClass = parts.filter { $0.classSizeWithinLimit != nil }
            if !withClass.isEmpty {
                let over = withClass.filter { $0.classSizeWithinLimit == false }.count
                items.append(
                    Item(
                        dimension: dimension, name: "班额（\(stage.rawValue)）",
                        value: over == 0 ? "无超标班额" : "\(over) 所学校最大班额超标",
                        threshold: "≤ \(stage.maximumClassSize) 人", passes: over == 0, source: "\(source)，最大班额"))
            }
            let withTeachers = parts.filter { $0.studentTeacherRatioWithinLimit != nil }
            if !withTeachers.isEmpty {
                let over = withTeachers.filter { $0.studentTeacherRatioWithinLimit == false }.count
                let limit = BandScheme.tenthsText(Int(stage.maximumStudentsPerTeacherTenths))
                items.append(
                    Item(
                        dimension: dimension, name: "生师比（\(stage.rawValue)）",
                        value: over == 0 ? "均达标" : "\(over) 所学校未达标",
                        threshold: "不高于 1:\(limit)", passes: over == 0, source: "\(source)，专任教师数"))
            }
        }
        let oversized = resources.sizes.filter { !$0.withinLimit }
        items.append(
            Item(
                dimension: dimension, name: "学校规模",
                value: oversized.isEmpty
                    ? "无超规模学校" : oversized.map { "\($0.school) \($0.students) 人" }.joined(separator: "；"),
                threshold: "小学、初中 ≤ 2000 人，九年一贯制 ≤ 2500 人", passes: oversized.isEmpty, source: source))
        return items
    }

    private func academicItems() -> [Item] {
        let dimension = "学业质量"
        guard let academic else {
            return [
                Item(
                    dimension: dimension, name: "学业水平与校际差异率", value: "未导入",
                    threshold: "水平Ⅲ以上，校际差异率 < \(settings.academic.target.maximumDifference)",
                    passes: nil, source: "jiance import monitoring 或 jiance import academic")
            ]
        }
        let target = settings.academic.target
        return academic.groups.map { group in
            var parts: [String] = []
            if let level = group.level { parts.append(level.label) }
            if let difference = group.difference(settings.academic.method) {
                parts.append("校际差异率 \(String(format: "%.3f", difference.value))" + (difference.official ? "" : "（预估）"))
            }
            return Item(
                dimension: dimension, name: "\(group.grade.label) \(group.subject)",
                value: parts.isEmpty ? "—" : parts.joined(separator: "，"),
                threshold: "\(target.minimumLevel.label)以上，校际差异率 < \(target.maximumDifference)",
                passes: academic.meets(group),
                source: group.source + (group.official == nil ? "：\(academic.exam ?? "")，\(group.county.scored) 人" : "")
            )
        }
    }

    private func healthItems() -> [Item] {
        let dimension = "学生健康"
        var items: [Item] = []
        if let fitness {
            let meets = fitness.county.meets(fitness.targets)
            let source = "体质健康测试 \(term.label)，\(fitness.county.tested) 人"
            items.append(
                Item(
                    dimension: dimension, name: "体质健康优良率", value: fitness.county.goodOrBetterRate.percentText,
                    threshold: "≥ \(Rate.percentText(fitness.targets.goodOrBetter))", passes: meets.goodOrBetter,
                    source: source))
            items.append(
                Item(
                    dimension: dimension, name: "体质健康及格率", value: fitness.county.passingRate.percentText,
                    threshold: "≥ \(Rate.percentText(fitness.targets.passing))", passes: meets.passing, source: source))
        } else {
            items.append(
                Item(
                    dimension: dimension, name: "体质健康优良率、及格率", value: "未导入",
                    threshold:
                        "≥ \(Rate.percentText(settings.fitness.goodOrBetter))、≥ \(Rate.percentText(settings.fitness.passing))",
                    passes: nil, source: "jiance import fitness"))
        }
        if let vision {
            let county = vision.county
            let drop = county.yearly?.dropPP.map { String(format: "%+.1f 个百分点", $0) } ?? "无去年同季数据"
            items.append(
                Item(
                    dimension: dimension, name: "近视率年度下降", value: "\(county.summary.myopiaRate.percentText)（\(drop)）",
                    threshold: "每年下降 ≥ \(vision.target.dropPerYearPP) 个百分点", passes: county.yearly?.meets,
                    source: "视力筛查 \(term.label) 初筛" + (vision.previousTerm.map { "，对比 \($0.label)" } ?? "")))
        } else {
            items.append(
                Item(
                    dimension: dimension, name: "近视率年度下降", value: "未导入",
                    threshold: "每年下降 ≥ \(settings.myopia.dropPerYearPP) 个百分点", passes: nil,
                    source: "jiance import vision"))
        }
        // 儿童青少年健康档案建档率 100 % (the county plan; vision RULES.md, Statistics).
        if let healthRecord {
            let county = healthRecord.county
            items.append(
                Item(
                    dimension: dimension, name: "儿童青少年健康档案建档率", value: county.rate.percentText, threshold: "100%",
                    passes: county.recorded >= county.enrolled,
                    source: healthRecord.definition + "（未建档 \(county.enrolled - county.recorded) 人）"))
        }
        if let psych {
            let c = psych.county
            items.append(
                Item(
                    dimension: dimension, name: "心理健康筛查覆盖率（四至九年级）",
                    value: Rate(c.screenedInScope, of: c.enrolledInScope).percentText,
                    threshold: "（参考）", passes: nil, source: "心理筛查 \(term.label)（只计人数）", judged: false,
                    psychological: true))
            items.append(
                Item(
                    dimension: dimension, name: "红、橙预警 \(psych.reviewDays) 天内复核",
                    value: "\(c.urgentReviewedInTime)/\(c.urgentCases)"
                        + (c.urgentAwaitingReview > 0 ? "（\(c.urgentAwaitingReview) 例尚在期限内）" : ""),
                    threshold: "全部按时复核",
                    passes: c.urgentCases > 0 ? c.urgentReviewedInTime + c.urgentAwaitingReview == c.urgentCases : nil,
                    source: "心理危机干预台账（只计人数）", psychological: true))
        }
        return items
    }

    private func figureItems() -> [Item] {
        CountyFigure.allCases.map { figure in
            let value = settings.countyFigures[figure]
            return Item(
                dimension: "其他县级指标", name: figure.name, value: value.map(Rate.percentText) ?? "未填写",
                threshold: "≥ \(Rate.percentText(figure.minimum))", passes: value.map(figure.meets),
                source: value == nil ? "设置文件 county_figures.\(figure.rawValue)" : "设置文件（县教育局填报）")
        }
    }

    /// Counts of items met, failed and without data.
    public var tally: (met: Int, failed: Int, missing: Int) {
        (
            items.filter { $0.passes == true }.count, items.filter { $0.passes == false }.count,
            items.filter { $0.judged && $0.passes == nil }.count
        )
    }
}
