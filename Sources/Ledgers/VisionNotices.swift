import Foundation
import Reports
import Standards
import Store

/// 视力筛查结果告知书: one printed page per screened student for the family, one sheet per
/// class, each page ending with a tear-off receipt (家长签字) the school keeps. A notice goes to
/// the child's own family, so it carries the name (no 学籍号: the family does not need it); the
/// file is owner-only and every export is audited. Students without a screening get no notice.
public struct VisionNotices {
    public var school: SchoolInfo
    public var term: Term
    public var round: VisionRound
    public var screenings: [VisionScreeningRow]
    /// The date printed under the school's name.
    public var date: CalendarDate
    /// Notices per printed A4 sheet (the setting `notices.per_sheet`): 1, or 2 side by side.
    public var perSheet = 1
    /// The county's designated eye clinic, named where a child is referred.
    public var referral: String?

    public init(
        school: SchoolInfo, term: Term, round: VisionRound, screenings: [VisionScreeningRow], date: CalendarDate
    ) {
        (self.school, self.term, self.round, self.screenings, self.date) = (school, term, round, screenings, date)
    }

    /// The re-screening's notices are named apart, so that they never replace the screening's.
    public var fileName: String {
        "视力筛查告知书_\(safeFileName(school.name))_\(term)\(round == .rescreening ? "_复筛" : "").xlsx"
    }

    public func write(to url: URL) throws {
        try writeNoticeWorkbook(
            to: url, items: screenings, grade: \.observation.grade, className: \.observation.className,
            columnWidths: [14, 16, 18, 40], perSheet: perSheet
        ) { page, row in
            try page.write(
                .vision(row, school: school, term: term, round: round, referral: referral), school: school.name,
                date: date)
        }
    }
}

/// What a notice says about one screening, in plain words for a family: the conclusion, what
/// to do next, and the prevention advice with its sources.
public struct VisionNoticeText: Sendable {
    public var conclusion: String
    public var nextStep: String

    /// `referral` names the county's designated eye clinic (settings `notices.referral`).
    public init(_ result: VisionResult, referral: String? = nil) {
        var parts: [String] = []
        if result.myopic == true {
            parts.append("筛查提示近视" + (result.severity.map { "（\($0.rawValue)）" } ?? ""))
        } else if result.myopic == nil {
            parts.append("部分项目未能测得，是否近视无法判定")
        }
        if let grade = result.lowVisionGrade { parts.append("裸眼视力低于正常（视力不良，\(grade.rawValue)）") }
        if result.glasses == .orthokeratology { parts.append("正在佩戴角膜塑形镜（OK 镜）") }
        if parts.isEmpty { parts.append("本次筛查未见近视和视力不良") }
        conclusion = parts.joined(separator: "；") + "。"
        if result.needsReferral || result.myopic == nil {
            nextStep =
                "　　需到医疗机构进一步检查：请在一个月内带孩子到\(referral ?? "具备资质的医疗机构眼科（医院眼科或视光门诊）")做医学验光（必要时散瞳验光），"
                + "遵医嘱矫正或复查，并把检查结果告诉班主任。请勿在非医疗机构自行配镜。"
        } else if result.glasses == .orthokeratology {
            nextStep = "　　请按医嘱定期到医疗机构复查角膜塑形镜的效果和眼部健康。"
        } else {
            nextStep = "　　目前不需要到医疗机构复查；学校每学年至少筛查两次，请继续保持良好的用眼习惯。"
        }
    }

    /// One eye's judgement for the table.
    public static func eye(_ eye: EyeResult) -> String {
        switch eye.myopic {
        case true: "近视" + (eye.severity.map { "（\($0.rawValue)）" } ?? "")
        case false: eye.lowVision.map { "视力不良（\($0.rawValue)）" } ?? "正常"
        case nil: eye.lowVision.map { "视力不良（\($0.rawValue)），近视无法判定" } ?? "无法判定"
        }
    }

    /// Prevention advice for every family, each line with the document it comes from.
    public static let prevention: [NoticeAdvice] = [
        NoticeAdvice("每天日间户外活动累计不少于 2 小时，多在阳光下活动", source: "《儿童青少年近视防控适宜技术指南（更新版）》，国卫办疾控函〔2021〕517号"),
        NoticeAdvice(
            "读写姿势做到“一尺、一拳、一寸”；使用电子产品学习 30—40 分钟后休息远眺 10 分钟，非学习目的的电子产品单次不超过 15 分钟、每天累计不超过 1 小时",
            source: "《综合防控儿童青少年近视实施方案》，教体艺〔2018〕3号"),
        NoticeAdvice("保证睡眠：小学生每天 10 小时、初中生 9 小时、高中阶段学生 8 小时", source: "《综合防控儿童青少年近视实施方案》，教体艺〔2018〕3号"),
        NoticeAdvice("近视的孩子应到正规医疗机构检查、验光配镜，遵医嘱定期复查，不要相信“治愈近视”的宣传", source: "《儿童青少年近视防控适宜技术指南（更新版）》，国卫办疾控函〔2021〕517号"),
    ]
}
