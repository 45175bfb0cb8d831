import Foundation
import Standards

/// One row of the school resource template: a school, or one 学段 part of a 九年一贯制 school.
public struct ResourceRecord: Sendable, Equatable {
    public var row: Int
    public var school: String
    public var code: String?
    public var stage: ResourceStage
    /// 学校类型 as given (完全小学, 教学点, 特殊教育学校 …).
    public var kind: String?
    public var students: Int
    /// Totals in hundredths (teachers, m², 元, classrooms ×100).
    public var totals: [ResourceIndicator: Int64]
    public var classes: Int?
    public var largestClass: Int?
    public var teachers: Int?
}

/// Reads school resource data with the headers schools know from the statistics forms
/// (`jiance template resources` writes the blank template). A 九年一贯制 school fills one row for
/// its 小学 part and one for its 初中 part (../shared/reference/academic/RULES.md §2).
public struct ResourceReader {
    public var limits = ReadLimits()

    public init() {}

    static let schema = TableSchema(
        name: "学校办学条件",
        fields: [
            FieldSpec("school", "学校名称", synonyms: ["学校", "校名"], required: true),
            FieldSpec("code", "学校标识码", synonyms: ["学校代码"]),
            FieldSpec("stage", "学段", synonyms: ["学部", "学段(小学/初中)"], required: true),
            FieldSpec("kind", "学校类型", synonyms: ["办学类型", "学校类别"]),
            FieldSpec("students", "在校生数", synonyms: ["在校学生数", "学生数", "在校生"], required: true),
            FieldSpec("qualifiedTeachers", "高于规定学历教师数", synonyms: ["高于规定学历的教师数", "高学历教师数"]),
            FieldSpec("keyTeachers", "县级以上骨干教师数", synonyms: ["县级及以上骨干教师数", "骨干教师数"]),
            FieldSpec("artsAndPETeachers", "体育艺术专任教师数", synonyms: ["体育、艺术专任教师数", "体育艺术(美术、音乐)专任教师数", "音体美专任教师数"]),
            FieldSpec("teachingArea", "教学及辅助用房面积", synonyms: ["教学及辅助用房面积(平方米)", "教学辅助用房面积"]),
            FieldSpec("sportsArea", "体育运动场馆面积", synonyms: ["体育运动场(馆)面积", "运动场馆面积"]),
            FieldSpec("equipmentValue", "教学仪器设备值", synonyms: ["教学仪器设备值(元)", "教学仪器设备资产值", "仪器设备值"]),
            FieldSpec("multimediaRooms", "网络多媒体教室数", synonyms: ["网络多媒体教室", "多媒体教室数"]),
            FieldSpec("classes", "班级数", synonyms: ["教学班数", "班数"]),
            FieldSpec("largestClass", "最大班额", synonyms: ["最大班级人数"]),
            FieldSpec("teachers", "专任教师数", synonyms: ["专任教师"]),
        ], kind: .resources)

    static let indicatorKeys: [(ResourceIndicator, String)] = [
        (.qualifiedTeachers, "qualifiedTeachers"), (.keyTeachers, "keyTeachers"),
        (.artsAndPETeachers, "artsAndPETeachers"), (.teachingArea, "teachingArea"),
        (.sportsArea, "sportsArea"), (.equipmentValue, "equipmentValue"), (.multimediaRooms, "multimediaRooms"),
    ]

    public func read(_ url: URL, sheet: String? = nil, onRecord: (ResourceRecord) throws -> Void) throws -> ReadSummary
    {
        var summary = ReadSummary()
        guard let tables = try openTables(at: url, sheet: sheet, limits: limits, reportingTo: &summary) else {
            return summary
        }
        let schema = ResourceReader.schema
        func field(_ key: String) -> Int { schema.index(of: key)! }
        var found = false
        var missingHeader: [Finding] = []
        var seen: [String: Int] = [:]
        for table in tables {
            var headerFindings: [Finding] = []
            var rows: [Finding] = []
            let failure = try readingTable {
                let header = try SchemaReader().read(table, schema: schema, findings: &headerFindings) { header, row in
                    summary.rowsRead += 1
                    var check = RowFindings(table: table, header: header, row: row)
                    let school = header.value(field("school"), in: row)
                    if school.isEmpty { check.error(field("school"), "学校名称为空") }
                    let stageText = header.value(field("stage"), in: row)
                    let stage = ResourceStage(text: stageText)
                    if stage == nil {
                        check.error(
                            field("stage"),
                            SchoolStage(text: stageText) == .nineYear
                                ? "九年一贯制学校请分“小学”“初中”两行填报（各填本学段的学生、教师、校舍与设备）" : "学段应为 小学 或 初中")
                    }
                    func count(_ key: String, required: Bool = false) -> Int? {
                        let text = header.value(field(key), in: row)
                        guard !text.isEmpty else {
                            if required { check.error(field(key), "不能为空") }
                            return nil
                        }
                        guard let value = ValueParsing.number(text), value >= 0, value == value.rounded(),
                            value < 1_000_000
                        else {
                            check.error(field(key), "应为非负整数")
                            return nil
                        }
                        return Int(value)
                    }
                    let students = count("students", required: true)
                    if students == 0 { check.error(field("students"), "在校生数为 0，无法计算生均指标") }
                    var totals: [ResourceIndicator: Int64] = [:]
                    for (indicator, key) in ResourceReader.indicatorKeys {
                        let text = header.value(field(key), in: row)
                        guard !text.isEmpty else { continue }
                        guard var value = ValueParsing.number(text), value >= 0, value < 1e12 else {
                            check.error(field(key), "应为非负数")
                            continue
                        }
                        if indicator == .equipmentValue, header.headerText(field(key))?.contains("万元") == true {
                            value *= 10_000
                        }
                        totals[indicator] = Int64((value * 100).rounded())
                    }
                    let classes = count("classes")
                    let largest = count("largestClass")
                    if let largest, let students, largest > students {
                        check.error(field("largestClass"), "最大班额大于在校生数")
                    }
                    let teachers = count("teachers")
                    if let stage, !check.rejected {
                        let key = school + "|" + stage.rawValue
                        if let first = seen[key] {
                            check.error(field("school"), "与第 \(first) 行是同一学校、同一学段")
                        } else {
                            seen[key] = row.number
                        }
                    }
                    rows.append(contentsOf: check.findings)
                    guard !check.rejected, let stage, let students else {
                        summary.rowsRejected += 1
                        return
                    }
                    let code = header.value(field("code"), in: row)
                    let kind = header.value(field("kind"), in: row)
                    try onRecord(
                        ResourceRecord(
                            row: row.number, school: school, code: code.isEmpty ? nil : code, stage: stage,
                            kind: kind.isEmpty ? nil : kind,
                            students: students, totals: totals, classes: classes, largestClass: largest,
                            teachers: teachers))
                }
                if header != nil { found = true }
            }
            summary.findings.append(
                contentsOf: headerFindings.filter { $0.severity != .error } + rows + (failure.map { [$0] } ?? []))
            missingHeader.append(contentsOf: headerFindings.filter { $0.severity == .error })
        }
        if !found { summary.findings.append(contentsOf: missingHeader) }
        return summary
    }
}
