import ArgumentParser
import Foundation
import Ingest
import Reports
import Services
import Standards
import Store

struct RecordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "一名学生的健康档案：各学期的学校与班级、身高体重与 BMI、体测各项与学年总分（毕业年级含毕业成绩）、每次视力筛查及复查（不含心理数据；默认脱敏）")

    @Argument(help: ArgumentHelp("学生的学籍号", valueName: "学籍号"))
    var studentNo: String

    @Flag(help: "显示完整的姓名与学籍号（记入审计日志）")
    var named = false

    @Option(help: ArgumentHelp("输出格式：table 或 json", valueName: "格式"))
    var format: TableOrJSON = .table

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let db = try database.existing()
        guard let history = try StudentHistory.load(from: db, studentNo: studentNo) else {
            throw NothingMatched("数据库中没有学籍号为“\(Finding.printable(studentNo))”的学生；请核对学籍号")
        }
        if named {
            try AuditLog.record(
                db, action: "view-named-record", target: history.studentNo ?? studentNo,
                detail: "查看未脱敏的学生健康档案：\(history.enrolments.last?.school ?? "")")
        }
        switch format {
        case .table: print(RecordOutput.text(history, named: named))
        case .json: print(try JSONOutput.text(RecordJSON(history, named: named)))
        }
    }
}

/// `jiance record` for a terminal.
enum RecordOutput {
    static func text(_ h: StudentHistory, named: Bool) -> String {
        var lines: [String] = []
        let number = h.studentNo.map { named ? $0 : Masking.identifier($0) } ?? "—"
        lines.append(
            "学生健康档案：\(named ? h.name : Masking.name(h.name))（学籍号 \(number)，\(h.sex?.label ?? "性别不详")，出生 \(h.birthDate.map { named ? $0.description : Masking.birthDate($0) } ?? "—")）"
        )
        lines.append("\n== 在籍 ==")
        var rows = [["学期", "学校", "年级", "班级"]]
        for e in h.enrolments { rows.append([e.term.label, e.school, e.grade?.label ?? "—", e.className ?? "—"]) }
        lines.append(TextTable.render(rows, leftAligned: 4))
        lines.append("\n== 生长与体质健康（《国家学生体质健康标准（2014年修订）》）==")
        rows = [["学期", "年级", "身高(cm)", "体重(kg)", "BMI", "BMI 分类", "标准分", "附加分", "学年总分", "等级", "毕业成绩"]]
        for f in h.fitness {
            rows.append([
                f.term.label, f.grade.label, f.heightCm.map { String($0) } ?? "—", f.weightKg.map { String($0) } ?? "—",
                f.bmi.map { String(format: "%.1f", $0) } ?? "—", f.bmiCategory ?? "—", hundredths(f.standardHundredths),
                String(f.bonus), hundredths(f.totalHundredths),
                f.ratingText,
                hundredths(f.graduationHundredths),
            ])
        }
        lines.append(h.fitness.isEmpty ? "（没有体测记录）" : TextTable.render(rows, leftAligned: 2))
        for f in h.fitness where !f.items.isEmpty {
            let items = f.items.map {
                "\($0.item.label) \(FitnessValues.resultText($0.result, item: $0.item))（\($0.score.map(String.init) ?? "—") 分）"
            }
            lines.append("  \(f.term.label)：" + items.joined(separator: "；"))
        }
        lines.append("\n== 视力筛查 ==")
        rows = [["学期", "轮次", "右眼", "左眼", "右眼等效球镜", "左眼等效球镜", "近视", "视力不良", "需复查", "复查反馈"]]
        for s in h.vision {
            rows.append([
                s.term.label, s.round.rawValue, s.right ?? "—", s.left ?? "—",
                StudentHistory.Screening.dioptres(s.rightSE), StudentHistory.Screening.dioptres(s.leftSE), s.myopicText,
                s.lowVisionGrade ?? "—", s.needsReferral ? "是" : "否", s.followUpText ?? "—",
            ])
        }
        lines.append(h.vision.isEmpty ? "（没有视力筛查记录）" : TextTable.render(rows, leftAligned: 2))
        return lines.joined(separator: "\n")
    }

    static func hundredths(_ value: Int?) -> String { value.map { String(format: "%.2f", Double($0) / 100) } ?? "—" }
}

/// `jiance record --format json`.
struct RecordJSON: Encodable {
    struct Enrolment: Encodable {
        var term, school: String
        @OrNull var grade: Int?
        @OrNull var className: String?
        enum CodingKeys: String, CodingKey {
            case term, school, grade
            case className = "class_name"
        }
    }

    struct Item: Encodable {
        var result: Double
        @OrNull var score: Int?
    }

    struct Fitness: Encodable {
        var term: String
        var grade: Int
        var status: String
        @OrNull var heightCm: Double?
        @OrNull var weightKg: Double?
        @OrNull var bmi: Double?
        @OrNull var bmiCategory: String?
        var items: [String: Item]
        var standardScore, total, graduationScore: Fixed
        var bonus: Int
        @OrNull var rating: String?
        enum CodingKeys: String, CodingKey {
            case term, grade, status, bmi, items, total, bonus, rating
            case heightCm = "height_cm"
            case weightKg = "weight_kg"
            case bmiCategory = "bmi_category"
            case standardScore = "standard_score"
            case graduationScore = "graduation_score"
        }
    }

    struct Screening: Encodable {
        var term, round: String
        @OrNull var right: String?
        @OrNull var left: String?
        @OrNull var rightSE: Double?
        @OrNull var leftSE: Double?
        @OrNull var myopic: Bool?
        @OrNull var lowVisionGrade: String?
        var needsReferral: Bool
        var followUp: [String: String]
        enum CodingKeys: String, CodingKey {
            case term, round, right, left, myopic
            case rightSE = "right_se"
            case leftSE = "left_se"
            case lowVisionGrade = "low_vision_grade"
            case needsReferral = "needs_referral"
            case followUp = "follow_up"
        }
    }

    @OrNull var studentNo: String?
    var name: String
    @OrNull var sex: String?
    @OrNull var birthDate: String?
    var masked: Bool
    var enrolments: [Enrolment]
    var fitness: [Fitness]
    var vision: [Screening]

    enum CodingKeys: String, CodingKey {
        case name, sex, masked, enrolments, fitness, vision
        case studentNo = "student_no"
        case birthDate = "birth_date"
    }

    init(_ h: StudentHistory, named: Bool) {
        studentNo = h.studentNo.map { named ? $0 : Masking.identifier($0) }
        name = named ? h.name : Masking.name(h.name)
        sex = h.sex?.rawValue
        birthDate = h.birthDate.map { named ? $0.description : Masking.birthDate($0) }
        masked = !named
        enrolments = h.enrolments.map {
            Enrolment(term: $0.term.description, school: $0.school, grade: $0.grade?.code, className: $0.className)
        }
        fitness = h.fitness.map { f in
            Fitness(
                term: f.term.description, grade: f.grade.code, status: f.status.rawValue, heightCm: f.heightCm,
                weightKg: f.weightKg,
                bmi: f.bmi, bmiCategory: f.bmiCategory,
                items: Dictionary(
                    uniqueKeysWithValues: f.items.map { ($0.item.rawValue, Item(result: $0.result, score: $0.score)) }),
                standardScore: Fixed(f.standardHundredths.map { Double($0) / 100 }, decimals: 2),
                total: Fixed(f.totalHundredths.map { Double($0) / 100 }, decimals: 2),
                graduationScore: Fixed(f.graduationHundredths.map { Double($0) / 100 }, decimals: 2), bonus: f.bonus,
                rating: f.rating?.rawValue)
        }
        vision = h.vision.map { s in
            Screening(
                term: s.term.description, round: s.round.rawValue, right: s.right, left: s.left, rightSE: s.rightSE,
                leftSE: s.leftSE,
                myopic: s.myopic, lowVisionGrade: s.lowVisionGrade, needsReferral: s.needsReferral, followUp: s.followUp
            )
        }
    }
}
