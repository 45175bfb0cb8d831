import Standards

/// The kinds of student table Jiance imports, recognised from a header row, so that a file given
/// to the wrong importer is refused whole with a pointer to the right one instead of being read
/// as something it is not (a vision sheet read as fitness results would store every student as
/// "incomplete" over their real results).
public enum TableKind: Sendable, Equatable, CaseIterable {
    case schoolList, roster, fitness, vision, psych, academic, resources

    public var label: String {
        switch self {
        case .schoolList: "学校名单"
        case .roster: "学生名册"
        case .fitness: "体质健康测试成绩表"
        case .vision: "视力筛查表"
        case .psych: "心理筛查作答表"
        case .academic: "考试成绩表"
        case .resources: "学校办学条件表"
        }
    }

    /// The kind `jiance import` takes for such a table (a school list is imported as `roster`).
    public var importKind: String {
        switch self {
        case .schoolList, .roster: "roster"
        case .fitness: "fitness"
        case .vision: "vision"
        case .psych: "psych"
        case .academic: "academic"
        case .resources: "resources"
        }
    }

    /// How a refusal says to import the table instead, worded for the command line. A front end
    /// that imports otherwise (the web's form) or only scores (`jiance score`) replaces this phrase.
    public var importAdvice: String { "请用 jiance import \(importKind) 导入" }

    /// The sentence a refusal ends with.
    public var hint: String { "这像是\(label)，\(importAdvice)" }

    /// The kind a header row most likely belongs to, nil when it names no kind clearly. Each test
    /// looks for columns no other kind has: fitness items other than height and weight, acuity
    /// columns, numbered questionnaire items, subject columns, a school's teachers, rooms and
    /// equipment (办学条件, which a school list lacks). Unless `decisiveOnly`, height and
    /// weight alone then mean fitness, and names with sex and no result columns a roster: good
    /// enough for a hint, too weak to refuse a file for.
    public static func guess(_ cells: [String], decisiveOnly: Bool = false) -> TableKind? {
        let texts = cells.map(HeaderText.normalize).filter { !$0.isEmpty }
        guard texts.count >= 2 else { return nil }
        let bare = Set(texts.map(HeaderText.withoutBracket)).union(texts)
        if !bare.isDisjoint(with: fitnessItemHeaders) { return .fitness }
        if texts.contains(where: { $0.contains("视力") || $0.contains("裸眼") || $0.contains("球镜") }) { return .vision }
        if texts.filter(isNumberedItem).count >= 3 { return .psych }
        if !bare.isDisjoint(with: academicHeaders) { return .academic }
        if !bare.isDisjoint(with: resourceHeaders) { return .resources }
        if decisiveOnly { return nil }
        if !bare.isDisjoint(with: ["身高", "体重"]) { return .fitness }
        if bare.contains("姓名") || bare.contains("学生姓名"), bare.contains("性别") { return .roster }
        if bare.contains("学校名称") || bare.contains("学校"),
            !bare.isDisjoint(with: ["学段", "乡镇/街道", "乡镇", "城区/镇区/乡村", "学校标识码"])
        {
            return .schoolList
        }
        return nil
    }

    /// The kind of the first row of a table's first 30 that names one, for a reader that found
    /// no header of its own.
    public static func guess(in table: TableSource) -> TableKind? {
        var found: TableKind?
        var seen = 0
        try? table.forEachRow { row in
            seen += 1
            found = guess(row.cells)
            return found == nil && seen < 30
        }
        return found
    }

    /// Header texts of the fitness test items (not height and weight, which screenings share).
    private static let fitnessItemHeaders: Set<String> = {
        let keys = Set(FitnessItem.measured.map(\.rawValue) + ["sit_up_female"])
        return Set(
            FitnessSchema.schema.fields.filter { keys.contains($0.key) }.flatMap(\.synonyms).map(
                HeaderText.withoutBracket))
    }()

    /// Header texts of the resource indicators (teachers, rooms, equipment: not the student count,
    /// which a school list may carry).
    private static let resourceHeaders: Set<String> = {
        let keys = Set(ResourceReader.indicatorKeys.map(\.1))
        return Set(
            ResourceReader.schema.fields.filter { keys.contains($0.key) }.flatMap(\.synonyms).map(
                HeaderText.withoutBracket))
    }()

    private static let academicHeaders: Set<String> = [
        "语文", "数学", "英语", "外语", "物理", "化学", "生物", "道德与法治", "历史", "地理", "科学", "学科", "科目", "考试科目",
    ]

    /// `q1`, `第1题`, `1` … as questionnaires number their items.
    private static func isNumberedItem(_ text: String) -> Bool {
        var value = Substring(text)
        for prefix in ["第", "题", "q", "item"] where value.hasPrefix(prefix) {
            value = value.dropFirst(prefix.count)
            break
        }
        let digits = value.prefix { $0.isASCII && $0.isNumber }
        let rest = value.dropFirst(digits.count)
        return !digits.isEmpty && digits.count <= 3
            && (rest.isEmpty || rest == "题" || rest.hasPrefix(".") || rest.hasPrefix("、"))
    }
}
