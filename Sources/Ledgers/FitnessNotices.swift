import Foundation
import Ingest
import Reports
import Standards
import Store

/// 体质健康测试结果告知书: one printed page per tested student for the family, one sheet per
/// class: each item's result, score and 等级, the 学年总分 and 等级, the change since the latest
/// earlier school year, and advice keyed to the weakest items and the BMI category. Named (it
/// goes to the child's own family) without the 学籍号; owner-only and audited.
public struct FitnessNotices {
    public var school: SchoolInfo
    public var term: Term
    public var results: [FitnessResultRow]
    /// The student's 学年总分 of the latest earlier school year, in hundredths, by student.
    public var earlierTotals: [Int64: Int]
    public var date: CalendarDate
    /// Notices per printed A4 sheet (the setting `notices.per_sheet`): 1, or 2 side by side.
    public var perSheet = 1

    public init(
        school: SchoolInfo, term: Term, results: [FitnessResultRow], earlierTotals: [Int64: Int], date: CalendarDate
    ) {
        (self.school, self.term, self.results, self.earlierTotals, self.date) =
            (school, term, results, earlierTotals, date)
    }

    public var fileName: String { "体质健康告知书_\(safeFileName(school.name))_\(term).xlsx" }

    public func write(to url: URL) throws {
        try writeNoticeWorkbook(
            to: url, items: results, grade: \.observation.grade, className: \.observation.className,
            columnWidths: [20, 18, 12, 16], perSheet: perSheet
        ) { page, row in
            try page.write(
                .fitness(row, school: school, term: term, earlierTotal: earlierTotals[row.observation.studentID]),
                school: school.name, date: date)
        }
    }
}

/// What a fitness notice says, in plain words: the summary line and the advice for this child.
public struct FitnessNoticeText: Sendable {
    public var summary: String
    public var advice: [NoticeAdvice]

    /// The items a notice names as the weakest: scored below 80 (良好), lowest first, at most two.
    public static func weakest(_ scores: FitnessItemScores) -> [FitnessItem] {
        Array(
            scores.filter { $0.item != .bmi && $0.value < 80 }.sorted {
                ($0.value, $0.item.label) < ($1.value, $1.item.label)
            }
            .prefix(2).map(\.item))
    }

    /// An item score's 等级 as the standard's 评分表 print it: 优秀 ≥ 90, 良好 ≥ 80, 及格 ≥ 60.
    public static func rating(score: Int) -> FitnessRating {
        score >= 90 ? .excellent : score >= 80 ? .good : score >= 60 ? .pass : .fail
    }

    public init(_ row: FitnessResultRow, earlierTotal: Int?) {
        let o = row.observation
        var advice: [NoticeAdvice] = []
        switch o.status {
        case .exempt:
            summary =
                "　　您的孩子本学年经学校批准免予执行《国家学生体质健康标准》测试（免测），没有测试成绩。请遵医嘱安排适合孩子的身体活动，身体恢复后可向学校申请参加测试。"
        case .incomplete:
            summary = "学年总分：暂未评定（部分项目缺测）。请配合学校按时补测缺测项目。"
        case .scored:
            let total = o.totalHundredths.map { String(format: "%.1f", Double($0) / 100) } ?? "—"
            // 学年总分 = 标准分 + 附加分 (the standard's 评分表, 加分指标 of 跳绳, 引体向上, 仰卧起坐 and the
            // 800/1000 m run): shown apart when the child earned 附加分.
            let parts =
                row.bonus > 0
                ? "（标准分 \(row.standardHundredths.map { String(format: "%.1f", Double($0) / 100) } ?? "—") + 附加分 \(row.bonus)）"
                : ""
            var line = "学年总分：\(total) 分\(parts)，等级：\(o.rating?.rawValue ?? "—")"
            if let total = o.totalHundredths, let earlierTotal {
                let change = Double(total - earlierTotal) / 100
                line +=
                    change == 0
                    ? "；与上一次学年总分持平"
                    : "；比上一次学年总分（\(String(format: "%.1f", Double(earlierTotal) / 100)) 分）\(change > 0 ? "提高" : "下降") \(String(format: "%.1f", abs(change))) 分"
            }
            summary = line + "。"
            if o.rating == .fail { advice.append(Self.retest) }
        }
        if o.status != .exempt {
            for item in Self.weakest(o.itemScores) {
                if let line = Self.itemAdvice[item] { advice.append(line) }
            }
            if let category = o.bmiCategory, let line = Self.bmiAdvice[category] { advice.append(line) }
        }
        advice.append(Self.everyChild)
        var seen: Set<NoticeAdvice> = []
        self.advice = advice.filter { seen.insert($0).inserted }
    }

    /// The table rows of a notice: BMI first (as the standard's 登记卡), then each measured item.
    public static func itemRows(_ row: FitnessResultRow) -> [[CellValue]] {
        var rows: [[CellValue]] = []
        if let bmi = row.bmi {
            rows.append([
                .text("体重指数(BMI)"), .text(String(format: "%.1f", bmi.value)), .number(Double(bmi.score)),
                .text(bmi.category.rawValue),
            ])
        }
        for item in FitnessItem.measured where item != .bmi {
            guard let value = row.values[item] else { continue }
            let score = row.observation.itemScores[item]
            rows.append([
                .text(item.label), .text(FitnessValues.resultText(value, item: item, unit: true)), .optional(score),
                .optional(score.map { rating(score: $0).rawValue }),
            ])
        }
        return rows
    }

    static let standard = "《国家学生体质健康标准（2014年修订）》"
    static let activityGuide = "《中国人群身体活动指南（2021）》"
    static let dietGuide = "《中国学龄儿童膳食指南（2022）》"

    static let retest = NoticeAdvice("学年总分不及格的，本学年可补测一次；补测仍不及格，学年成绩评定为不及格。请帮助孩子针对薄弱项目练习，准备补测", source: standard)
    static let everyChild = NoticeAdvice(
        "每天至少 60 分钟中等到高强度的身体活动，以跑、跳、游泳、球类等有氧运动为主；减少久坐，课余视屏时间每天累计少于 2 小时", source: activityGuide)

    /// Advice for a weak item, by what the item measures.
    static let itemAdvice: [FitnessItem: NoticeAdvice] = {
        let endurance = NoticeAdvice("耐力偏弱：每周至少 3 天慢跑、游泳、骑车或跳绳，每次 20—30 分钟，逐步延长时间和距离", source: activityGuide)
        let strength = NoticeAdvice("力量偏弱：每周至少 3 天做肌肉力量和强健骨骼的练习，如仰卧起坐、俯卧撑、跳跃、攀爬", source: activityGuide)
        return [
            .vitalCapacity: endurance, .run800m: endurance, .run1000m: endurance, .shuttle50x8: endurance,
            .sitUp: strength, .pullUp: strength, .standingLongJump: strength,
            .run50m: NoticeAdvice("速度偏弱：在每天的中高强度活动中安排短距离加速跑、追逐跑和跳绳等快速练习", source: activityGuide),
            .sitAndReach: NoticeAdvice("柔韧偏弱（坐位体前屈）：每天运动后做 10 分钟拉伸，如体前屈、压腿，动作缓慢、不要弹振", source: standard),
            .ropeSkip: NoticeAdvice("协调偏弱（跳绳）：每天练习跳绳 10 分钟，先求连续、再求速度", source: activityGuide),
        ]
    }()

    /// Advice by BMI category (the standard's BMI 评分表 categories).
    static let bmiAdvice: [BMICategory: NoticeAdvice] = [
        .underweight: NoticeAdvice("体重偏低：三餐规律，保证奶类、蛋类、鱼禽肉和豆制品等优质蛋白，不挑食；体重持续偏低请咨询医生", source: dietGuide),
        .overweight: NoticeAdvice("体重超重：少吃油炸食品、少喝含糖饮料，吃好早餐、晚餐不过饱；增加每天的活动量，减少久坐", source: dietGuide),
        .obese: NoticeAdvice("肥胖：在医生或学校指导下控制体重，少吃油炸食品和含糖饮料，每天至少 60 分钟中高强度运动，减少久坐和视屏时间", source: dietGuide),
    ]
}
