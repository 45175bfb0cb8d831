import Foundation
import Standards

/// One row of a fitness results file: who, and the raw and parsed results.
public struct FitnessRecord: Sendable, Equatable {
    public var row: Int
    public var student: StudentRecord
    public var heightCm: Double?
    public var weightKg: Double?
    /// Parsed results of the items present in the row (seconds for times).
    public var results: FitnessResults
    /// The cell texts as the school typed them, by item (and `height`/`weight`), where they say
    /// more than the parsed number: times (`3′58″`), markers (`免体`), `8.50`, full-width digits,
    /// values set aside. A plain `1250` is the number itself and is not repeated here, except for
    /// an exempt student, whose every typed cell is kept because no result is.
    public var rawTexts: [String: String]
    public var exempt: Bool
    /// What the file itself says of the result (school tools and re-uploaded national files
    /// carry 总分, 标准分, 等级), as typed, for the cross-check against the standard.
    public var claimed = ClaimedResult()

    /// The scorer's input.
    public var input: FitnessInput {
        FitnessInput(
            studentID: student.studentNo ?? student.name, grade: student.grade ?? GradeCode(code: 11)!,
            sex: student.sex ?? .male,
            heightCm: heightCm, weightKg: weightKg, results: results, exempt: exempt)
    }
}

/// The header synonyms of the national fitness upload template (upload_template.md §1): the
/// full 22-column layout, the per-level layouts of the T1 generator, and common variants.
public enum FitnessSchema {
    public static let schema = TableSchema(
        name: "体质健康测试成绩表",
        fields: [
            FieldSpec("grade", "年级编号", synonyms: ["年级", "年级代码", "年级名称"], required: true),
            FieldSpec("classCode", "班级编号", synonyms: ["班号", "班级代码"]),
            FieldSpec("className", "班级名称", synonyms: ["班级"]),
            FieldSpec("studentNo", "学籍号", synonyms: ["全国学籍号", "教育id号", "学生编号", "学籍编号"]),
            FieldSpec("ethnicity", "民族代码", synonyms: ["民族"]),
            FieldSpec("name", "姓名", synonyms: ["学生姓名"]),
            FieldSpec("sex", "性别", required: true),
            FieldSpec("birthDate", "出生日期", synonyms: ["出生年月"]),
            FieldSpec("school", "学校名称", synonyms: ["学校"]),
            FieldSpec("schoolCode", "学校标识码", synonyms: ["学校代码", "学校编码"]),
            FieldSpec("height", "身高", synonyms: ["身高(cm)", "身高(厘米)"]),
            FieldSpec("weight", "体重", synonyms: ["体重(kg)", "体重(千克)", "体重(公斤)"]),
            FieldSpec(FitnessItem.vitalCapacity.rawValue, "肺活量", synonyms: ["肺活量(ml)", "肺活量(毫升)"]),
            FieldSpec(FitnessItem.run50m.rawValue, "50米跑", synonyms: ["50米", "50m跑", "50米跑(秒)", "50m"]),
            FieldSpec(FitnessItem.standingLongJump.rawValue, "立定跳远", synonyms: ["立定跳远(cm)", "立定跳远(厘米)"]),
            FieldSpec(FitnessItem.sitAndReach.rawValue, "坐位体前屈", synonyms: ["坐位体前屈(cm)", "坐位体前屈(厘米)", "坐位前屈"]),
            FieldSpec(
                FitnessItem.shuttle50x8.rawValue, "50米x8往返跑", synonyms: ["50米×8往返跑", "50mx8往返跑", "往返跑", "50米x8"]),
            FieldSpec(
                FitnessItem.sitUp.rawValue, "一分钟仰卧起坐", synonyms: ["1分钟仰卧起坐", "仰卧起坐"], repeatedMeans: "sit_up_female"),
            FieldSpec("sit_up_female", "一分钟仰卧起坐(女)", synonyms: ["1分钟仰卧起坐(女)", "仰卧起坐(女)"]),
            FieldSpec(FitnessItem.ropeSkip.rawValue, "一分钟跳绳", synonyms: ["1分钟跳绳", "跳绳"]),
            FieldSpec(FitnessItem.run800m.rawValue, "800米跑", synonyms: ["800米跑(女)", "800米", "800m", "800m跑"]),
            FieldSpec(FitnessItem.run1000m.rawValue, "1000米跑", synonyms: ["1000米跑(男)", "1000米", "1000m", "1000m跑"]),
            FieldSpec(FitnessItem.pullUp.rawValue, "引体向上", synonyms: ["引体向上(男)"]),
            FieldSpec("exempt", "免测", synonyms: ["是否免测", "免测标记", "免测/免体", "备注"]),
            FieldSpec("claimedTotal", "总分", synonyms: ["学年总分", "总成绩", "测试总分", "综合成绩"]),
            FieldSpec("claimedStandard", "标准分", synonyms: ["标准总分"]),
            FieldSpec("claimedRating", "等级", synonyms: ["评定等级", "总评", "综合评定", "测试等级", "成绩等级", "评价等级"]),
        ], minimumHeaderMatches: 4, kind: .fitness,
        ownFields: ["height", "weight", "sit_up_female"] + FitnessItem.measured.map(\.rawValue),
        supersededLayouts: [
            // The pre-2014 upload template pairs an item number with its result (耐力项目编号, 耐力项目成绩 …).
            ("项目编号", "这是 2014 年以前的上报模板（项目编号与成绩成对填写），请改用《国家学生体质健康标准（2014年修订）》的上报模板，每个测试项目一列")
        ])

    /// The item columns of the full layout in template order (upload_template.md §1, columns J–V).
    public static let templateItemOrder: [(header: String, key: String)] = [
        ("身高", "height"), ("体重", "weight"), ("肺活量", "vital_capacity"), ("50米跑", "run_50m"),
        ("立定跳远", "standing_long_jump"),
        ("坐位体前屈", "sit_and_reach"), ("50米x8往返跑", "shuttle_50x8"), ("一分钟仰卧起坐", "sit_up_1min"),
        ("一分钟跳绳", "rope_skip_1min"),
        ("800米跑（女）", "run_800m"), ("1000米跑（男）", "run_1000m"), ("一分钟仰卧起坐（女）", "sit_up_female"), ("引体向上（男）", "pull_up"),
    ]
}

/// Reads fitness results in the national template, .xlsx or .csv, every sheet that has the
/// template's header.
public struct FitnessReader: Sendable {
    public var term: Term
    public var limits = ReadLimits()
    /// Each table's cells are read on a thread of their own while this one parses the rows
    /// (`jiance score`, where nothing else is running; an import's second thread is busy writing).
    public var readAhead = false

    public init(term: Term) { self.term = term }

    /// Reads the file's records, handing each to `onRecord` to keep (moved, not copied: a
    /// record holds some ten Strings and arrays).
    public func read(_ url: URL, sheet: String? = nil, onRecord: (consuming FitnessRecord) throws -> Void) throws
        -> ReadSummary
    {
        var summary = ReadSummary()
        guard var tables = try openTables(at: url, sheet: sheet, limits: limits, reportingTo: &summary) else {
            return summary
        }
        if readAhead { tables = tables.map(ReadAheadTable.init) }
        let schema = FitnessSchema.schema
        let fields = Fields(schema)
        var anyTable = false
        for table in tables {
            var headerFindings: [Finding] = []
            var rowFindings: [Finding] = []
            var memory = TableMemory()
            var header: HeaderMap?
            let failure = try readingTable {
                header = try SchemaReader().read(table, schema: schema, findings: &headerFindings) { header, row in
                    summary.rowsRead += 1
                    var findings = RowFindings(table: table, header: header, row: row)
                    let record = parse(header, row, fields: fields, memory: &memory, findings: &findings)
                    rowFindings.append(contentsOf: findings.findings)
                    if let record, !findings.rejected {
                        try onRecord(consume record)
                    } else {
                        summary.rowsRejected += 1
                    }
                }
            }
            if let failure {
                anyTable = true
                summary.findings.append(contentsOf: rowFindings + [failure])
                continue
            }
            if header != nil || tables.count == 1 {
                anyTable = anyTable || header != nil
                summary.findings.append(contentsOf: headerFindings + rowFindings)
            }
        }
        if !anyTable, tables.count > 1 {
            let instead =
                tables.lazy.compactMap(TableKind.guess(in:)).first { $0 != .fitness }.map { "；\($0.hint)" } ?? ""
            summary.findings.append(
                Finding(
                    .error, "没有一个工作表含有体质健康测试成绩表的表头（年级编号、性别、身高、体重……）\(instead)",
                    file: url.lastPathComponent))
        }
        return summary
    }

    /// The schema's field positions, looked up once rather than by key on every row.
    private struct Fields {
        let grade, classCode, className, studentNo, ethnicity, name, sex, birthDate, school, schoolCode, height, weight,
            sitUpFemale, exempt: Int
        let claimedTotal, claimedStandard, claimedRating: Int
        /// Each measured item with its field.
        let items: [(item: FitnessItem, field: Int)]
        /// 身高 and 体重, with what a finding on each says.
        let bodyMeasures: [BodyMeasureField]

        /// No stored text, so that a row's loop over the two copies no references.
        struct BodyMeasureField {
            let isHeight: Bool
            let field: Int
            let range: ClosedRange<Double>
            var key: String { isHeight ? "height" : "weight" }
            var label: String { isHeight ? "身高" : "体重" }
            var unit: String { isHeight ? "厘米" : "千克" }
            var example: String { isHeight ? "132.5" : "33.5" }
        }

        init(_ schema: TableSchema) {
            let position = Dictionary(uniqueKeysWithValues: schema.fields.enumerated().map { ($1.key, $0) })
            (grade, classCode, className, studentNo) = (
                position["grade"]!, position["classCode"]!, position["className"]!, position["studentNo"]!
            )
            (ethnicity, name, sex, birthDate) = (
                position["ethnicity"]!, position["name"]!, position["sex"]!, position["birthDate"]!
            )
            (school, schoolCode, height, weight) = (
                position["school"]!, position["schoolCode"]!, position["height"]!, position["weight"]!
            )
            (sitUpFemale, exempt) = (position["sit_up_female"]!, position["exempt"]!)
            (claimedTotal, claimedStandard, claimedRating) = (
                position["claimedTotal"]!, position["claimedStandard"]!, position["claimedRating"]!
            )
            items = FitnessItem.measured.map { ($0, position[$0.rawValue]!) }
            bodyMeasures = [
                BodyMeasureField(isHeight: true, field: height, range: BodyMeasure.height),
                BodyMeasureField(isHeight: false, field: weight, range: BodyMeasure.weight),
            ]
        }
    }

    /// What reading a table remembers from row to row.
    private struct TableMemory {
        /// The row of each 学籍号 seen so far (a second row with it is a duplicate).
        var seen = GrowingMap<String, Int>()
        /// Each class spelling, normalised once: class names repeat down a file.
        var classNames: [ClassNameKey: String] = [:]
        /// The last few classes met, compared before the dictionary is asked: rows come class by
        /// class or a few classes interleaved, and hashing a Chinese name costs more than
        /// comparing it with four.
        var recentClassNames: [(key: ClassNameKey, normalized: String)] = []
        /// The last few school and class cells, with their texts.
        var repeated = RecentCells<String>()
        /// The last few 民族 cells, with the name each stands for (the text when it is no code).
        var ethnicities = RecentCells<String?>()

        struct ClassNameKey: Hashable {
            let text: String
            let grade: Int
        }

        mutating func className(_ text: String, grade: GradeCode) -> String {
            // Compared in place: a closure over the tuples copied each one it looked at.
            for index in recentClassNames.indices
            where recentClassNames[index].key.grade == grade.code
                && recentClassNames[index].key.text.hasSameUTF8(as: text)
            {
                return recentClassNames[index].normalized
            }
            let key = ClassNameKey(text: text, grade: grade.code)
            let normalized: String
            if let known = classNames[key] {
                normalized = known
            } else {
                normalized = ClassName.normalize(text, grade: grade)
                classNames[key] = normalized
            }
            if recentClassNames.count == 4 { recentClassNames.removeFirst() }
            recentClassNames.append((key, normalized))
            return normalized
        }
    }

    private func parse(
        _ header: HeaderMap, _ row: RawRow, fields: Fields, memory: inout TableMemory, findings: inout RowFindings
    ) -> FitnessRecord? {
        func text(_ field: Int) -> String { header.value(field, in: row) }
        let studentNoText = text(fields.studentNo)
        // Upper-cased only when it has a letter to change: most are digits and capitals.
        let studentNo =
            studentNoText.containsUTF8Byte(where: { ($0 >= 0x61 && $0 <= 0x7A) || $0 >= 0x80 })
            ? studentNoText.uppercased() : studentNoText
        let name = text(fields.name)
        if studentNo.isEmpty && name.isEmpty { findings.error(fields.studentNo, "学籍号和姓名都为空，无法识别学生") }
        if !studentNo.isEmpty {
            if let first = memory.seen.insertIfAbsent(row.number, forKey: studentNo) {
                findings.error(fields.studentNo, "学籍号与第 \(first) 行重复")
            }
        }
        /// A cell read from its bytes by `quick` (the form most cells hold: `1`, `11`, `2015/3/4`),
        /// else from its text by `parse`; the text is made only then, and given back for a finding.
        func read<Value>(
            _ field: Int, quick: (UnsafeBufferPointer<UInt8>) -> Value?, parse: (String) -> Value?
        ) -> (value: Value?, text: String) {
            if let value = header.withValueUTF8(field, in: row, quick) { return (value, "") }
            let cell = text(field)
            return (cell.isEmpty ? nil : parse(cell), cell)
        }
        let (sex, sexText) = read(fields.sex, quick: { Sex(code: $0) }, parse: Sex.init(text:))
        if sex == nil { findings.error(fields.sex, sexText.isEmpty ? "性别为空" : "无法识别的性别（应为 1/2 或 男/女）") }
        let (grade, gradeText) = read(fields.grade, quick: { GradeCode(code: $0) }, parse: GradeCode.init(text:))
        if grade == nil {
            findings.error(fields.grade, gradeText.isEmpty ? "年级编号为空" : "无法识别的年级编号（11–16、21–24、31–33、41–44）")
        }
        let (birthDate, birthText) = read(fields.birthDate, quick: ValueParsing.asciiDate, parse: ValueParsing.date)
        if birthDate == nil, !birthText.isEmpty { findings.warning(fields.birthDate, "无法识别的出生日期，已忽略") }
        // A 免测 column may say 是/√; a 备注 column counts only when it holds a marker such as 免测.
        let exemptCell = text(fields.exempt)
        var exempt = FitnessValues.isExemptionMarker(exemptCell)
        if !exempt, !exemptCell.isEmpty, ["是", "1", "Y", "√"].contains(exemptCell.uppercased()) {
            exempt = !(header.headerText(fields.exempt) ?? "").contains("备注")
        }
        var raw: [String: String] = [:]
        /// Keeps a cell's text unless it is a number taken as typed (an exempt student's plain
        /// numbers are added at the end).
        func keep(_ key: String, _ cell: String, accepted: Bool = false) {
            if !accepted || !ValueParsing.isCanonicalDecimal(cell) { raw[key] = cell }
        }
        var results = FitnessResults()
        var height: Double?
        var weight: Double?
        for measure in fields.bodyMeasures {
            let (key, field, range) = (measure.key, measure.field, measure.range)
            let cell: String
            switch Measurement(header, field, in: row, range: range, plain: ValueParsing.plainDecimalForm) {
            case .blank: continue
            case .plain(let number, let typed):
                if let typed { raw[key] = typed }
                if measure.isHeight { height = number } else { weight = number }
                continue
            case .other(let text): cell = text
            }
            let number = ValueParsing.number(cell)
            keep(key, cell, accepted: number.map(range.contains) ?? false)
            if FitnessValues.isExemptionMarker(cell) {
                exempt = true
                continue
            }
            guard let number else {
                findings.error(
                    field, FitnessValues.notANumber(measure.label, unit: measure.unit, example: measure.example))
                continue
            }
            guard range.contains(number) else {
                findings.error(
                    field,
                    "数值不合理（应在 \(format(range.lowerBound))–\(format(range.upperBound)) \(measure.unit) 之间）"
                )
                continue
            }
            if measure.isHeight { height = number } else { weight = number }
        }
        let junior = (grade?.code ?? 0) > 20
        func hasValue(_ field: Int) -> Bool { header.withValueUTF8(field, in: row) { !$0.isEmpty } }
        /// The column an item is read from.
        func itemColumn(_ item: FitnessItem, _ itemField: Int) -> Int {
            // The full layout has two sit-up columns: 一分钟仰卧起坐 (小学) and 一分钟仰卧起坐（女） (初中 and up).
            if item == .sitUp, hasValue(fields.sitUpFemale), !hasValue(itemField) || (junior && sex == .female) {
                return fields.sitUpFemale
            }
            return itemField
        }
        for (item, itemField) in fields.items {
            let field = itemColumn(item, itemField)
            if junior, let sex, let ignored = oppositeSexItem(item, sex: sex) {
                let cell = text(field)
                guard !cell.isEmpty else { continue }
                keep(item.rawValue, cell)
                findings.warning(field, "\(sex.label)生不测\(ignored)，此项已忽略")
                continue
            }
            let cell: String
            switch Measurement(
                header, field, in: row, range: item.plausibleRange,
                plain: { FitnessValues.plainValueForm($0, item: item) })
            {
            case .blank: continue
            case .plain(let number, let typed):
                if let typed { raw[item.rawValue] = typed }
                results[item] = number
                continue
            case .other(let text): cell = text
            }
            let parsed = FitnessValues.parse(cell, item: item)
            let range = item.plausibleRange
            if case .value(let number) = parsed {
                keep(item.rawValue, cell, accepted: range.contains(number))
            } else {
                keep(item.rawValue, cell)
            }
            switch parsed {
            case .blank: continue
            case .exempt: exempt = true
            case .invalid(let reason): findings.error(field, reason)
            case .value(let number):
                guard range.contains(number) else {
                    let bounds =
                        item.isMinuteSecondTime
                        ? "\(FitnessValues.minutesSecondsText(range.lowerBound))–\(FitnessValues.minutesSecondsText(range.upperBound))"
                        : "\(format(range.lowerBound))–\(format(range.upperBound)) \(item.unit)"
                    findings.error(field, "\(item.label)成绩不合理（应在 \(bounds) 之间）")
                    continue
                }
                results[item] = number
            }
        }
        guard !findings.rejected, let sex, let grade else { return nil }
        func repeatedText(_ field: Int) -> String { header.value(field, in: row, repeating: &memory.repeated) { $0 } }
        let classNameText = repeatedText(fields.className)
        let className = memory.className(
            classNameText.isEmpty ? repeatedText(fields.classCode) : classNameText, grade: grade)
        let schoolCode = repeatedText(fields.schoolCode)
        let school = schoolCode.isEmpty ? repeatedText(fields.school) : schoolCode
        let ethnicity = header.value(fields.ethnicity, in: row, repeating: &memory.ethnicities) { text in
            text.isEmpty ? nil : (Ethnicity.name(for: text) ?? text)
        }
        let student = StudentRecord(
            row: row.number, studentNo: studentNo.isEmpty ? nil : studentNo, name: name, sex: sex, birthDate: birthDate,
            ethnicity: ethnicity,
            school: school.isEmpty ? nil : school, grade: grade, className: className.isEmpty ? nil : className)
        let claimed = ClaimedResult(
            total: text(fields.claimedTotal), standard: text(fields.claimedStandard), rating: text(fields.claimedRating)
        )
        // An exempt student is not measured for the standard: the cells stay in rawTexts only, so
        // that the record matches what the national template can say (免体 in 身高, nothing else).
        if exempt {
            for (key, field) in [("height", fields.height), ("weight", fields.weight)] {
                let cell = text(field)
                if !cell.isEmpty { raw[key] = cell }
            }
            for (item, itemField) in fields.items {
                let cell = text(itemColumn(item, itemField))
                if !cell.isEmpty { raw[item.rawValue] = cell }
            }
            return FitnessRecord(
                row: row.number, student: student, heightCm: nil, weightKg: nil, results: [:], rawTexts: raw,
                exempt: true, claimed: claimed)
        }
        return FitnessRecord(
            row: row.number, student: student, heightCm: height, weightKg: weight, results: results, rawTexts: raw,
            exempt: false, claimed: claimed)
    }

    /// A measurement cell, read from its bytes when it holds a plain number within `range` (most
    /// cells): no String is made then, but for a typed form that says more than the number
    /// (`8.50`, `3′58″`). Anything else goes to the general path as text.
    private enum Measurement {
        case blank
        case plain(Double, typed: String?)
        case other(String)

        /// `header` and `row` are borrowed: an initialiser's arguments are otherwise passed owned,
        /// and each of the thirteen measurements of a row retained and released their six arrays.
        init(
            _ header: borrowing HeaderMap, _ field: Int, in row: borrowing RawRow, range: ClosedRange<Double>,
            plain: (UnsafeBufferPointer<UInt8>) -> (value: Double, canonical: Bool)?
        ) {
            self = header.withValueUTF8(field, in: row) { bytes in
                guard !bytes.isEmpty else { return .blank }
                guard let (number, canonical) = plain(bytes), range.contains(number) else {
                    return .other(String(decoding: bytes, as: UTF8.self))
                }
                return .plain(number, typed: canonical ? nil : String(decoding: bytes, as: UTF8.self))
            }
        }
    }

    /// From 初中 on, boys run 1000 m and do pull-ups, girls run 800 m and do sit-ups
    /// (upload_template.md §3: the opposite-sex column must be empty).
    private func oppositeSexItem(_ item: FitnessItem, sex: Sex) -> String? {
        switch (item, sex) {
        case (.run800m, .male), (.sitUp, .male): return item.label
        case (.run1000m, .female), (.pullUp, .female): return item.label
        default: return nil
        }
    }

    private func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
