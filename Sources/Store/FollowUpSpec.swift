import Standards

/// The follow-up ledgers by the kind stored in `followup.kind`.
public enum FollowUpKind: String, Sendable, CaseIterable {
    case visionReferral = "vision-referral"
    case fitnessFail = "fitness-fail"
    case fitnessObese = "fitness-obese"
    case psychCase = "psych-case"
}

/// The follow-up ledgers (跟踪台账) that go to schools and come back filled in: the sheet name,
/// the stored kind, the table its 记录号 points into, and the columns schools fill in. The writer
/// and the importer both take the columns from here, so a dropdown never offers a choice that
/// the import refuses, and each column's check is stated once.
public struct FollowUpSpec: Sendable {
    public enum Column: Sendable {
        case text(String)
        /// A date on or before the day of import (and within the term's school year where the
        /// sheet belongs to a term).
        case date(String)
        /// One of the listed choices; the sheet offers exactly these in a dropdown.
        case choice(String, [String])
        /// A number within a plausible range, with its unit (e.g. 复测体重 10–200 kg).
        case number(String, ClosedRange<Double>, unit: String)

        public var label: String {
            switch self {
            case .text(let label), .date(let label), .choice(let label, _), .number(let label, _, _): label
            }
        }
    }

    public var sheet: String
    public var kind: FollowUpKind
    /// The table whose row id the record column holds.
    public var table: String
    public var columns: [Column]
    /// The column that names the stored record: 记录号, or 案例号 for the psych ledger.
    public var recordColumn = "记录号"
    /// The psych ledger: each filled row is appended as dated events to a case, and its 版本 is
    /// the case's last event (an edited old copy is a conflict); the other sheets store one set
    /// of answers per record, and their 版本 is the batch that stored them.
    public var appendsEvents = false

    /// The locked column that carries the version of the row at export.
    public static let versionColumn = "版本"

    public static let visionReferral = FollowUpSpec(
        sheet: "视力转诊台账", kind: .visionReferral, table: "vision_screening",
        columns: [
            .date("复查日期"), .choice("复查结果", ["视力正常", "近视", "远视", "散光", "弱视", "其他眼病", "未复查"]),
            .choice("是否配镜", ["是", "否", "已配镜（原有）"]), .date("家长告知日期"), .text("跟进人"),
        ])
    /// 补测成绩 is the 学年总分 of the make-up test: 0–100 points plus at most 20 bonus points
    /// (《国家学生体质健康标准（2014年修订）》, 加分指标).
    public static let fitnessFail = FollowUpSpec(
        sheet: "不及格学生台账", kind: .fitnessFail, table: "fitness_result",
        columns: [
            .text("原因分析"), .choice("干预措施", ["体育课分层教学", "课后锻炼计划", "家校共育（家庭锻炼打卡）", "医学评估后调整", "心理疏导与激励", "其他"]),
            .date("补测日期"), .number("补测成绩", 0...120, unit: "分"), .text("责任教师"),
        ])
    /// 复测体重 within the weights the fitness import accepts (BodyMeasure.weight, upload_template.md §3).
    public static let fitnessObese = FollowUpSpec(
        sheet: "肥胖学生台账", kind: .fitnessObese, table: "fitness_result",
        columns: [
            .choice("干预措施", ["膳食指导", "运动处方", "家校沟通", "转介医疗机构", "其他"]), .date("家长沟通日期"), .date("复测日期"),
            .number("复测体重(kg)", BodyMeasure.weight, unit: "kg"), .text("责任教师"),
        ])

    /// 心理危机干预台账: each filled row becomes dated, attributed events (RULES.md, The ledger).
    public static let psychCase = FollowUpSpec(
        sheet: "心理危机干预台账", kind: .psychCase, table: "psych_case",
        columns: [
            .date("复核日期"), .choice("确认等级", ["红", "橙", "黄", "观察", "无风险"]), .text("复核人"),
            .date("告知监护人日期"), .choice("告知方式", ["面谈", "电话", "书面", "其他"]), .text("干预措施"),
            .text("转介机构"), .date("转介日期"), .date("随访日期"), .text("随访内容"), .date("下次随访日期"),
            .choice("状态", PsychCaseStatus.allCases.map(\.rawValue)), .text("结案原因"), .text("记录人"),
        ], recordColumn: "案例号", appendsEvents: true)

    /// Sheets that may appear in a general school ledger (the psych ledger is exported apart).
    public static let all = [visionReferral, fitnessFail, fitnessObese]
}
