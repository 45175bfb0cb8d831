/// The seven school resource indicators of 县域义务教育优质均衡发展督导评估
/// (教督〔2017〕6号; ../shared/reference/academic/RULES.md §2), with their thresholds.
public enum ResourceIndicator: Int, Sendable, Hashable, Codable, CaseIterable {
    case qualifiedTeachers = 1
    case keyTeachers, artsAndPETeachers, teachingArea, sportsArea, equipmentValue, multimediaRooms

    public var name: String {
        switch self {
        case .qualifiedTeachers: "每百名学生拥有高于规定学历教师数"
        case .keyTeachers: "每百名学生拥有县级以上骨干教师数"
        case .artsAndPETeachers: "每百名学生拥有体育、艺术（美术、音乐）专任教师数"
        case .teachingArea: "生均教学及辅助用房面积"
        case .sportsArea: "生均体育运动场馆面积"
        case .equipmentValue: "生均教学仪器设备值"
        case .multimediaRooms: "每百名学生拥有网络多媒体教室数"
        }
    }

    /// Short column label for ledgers.
    public var shortName: String {
        switch self {
        case .qualifiedTeachers: "高学历教师(人/百生)"
        case .keyTeachers: "骨干教师(人/百生)"
        case .artsAndPETeachers: "体艺教师(人/百生)"
        case .teachingArea: "教辅用房(m²/生)"
        case .sportsArea: "体育场馆(m²/生)"
        case .equipmentValue: "仪器设备(元/生)"
        case .multimediaRooms: "多媒体教室(间/百生)"
        }
    }

    /// The template column holding the school's total.
    public var sourceColumn: String {
        switch self {
        case .qualifiedTeachers: "高于规定学历教师数"
        case .keyTeachers: "县级以上骨干教师数"
        case .artsAndPETeachers: "体育艺术专任教师数"
        case .teachingArea: "教学及辅助用房面积"
        case .sportsArea: "体育运动场馆面积"
        case .equipmentValue: "教学仪器设备值"
        case .multimediaRooms: "网络多媒体教室数"
        }
    }

    /// Per 100 students (teachers, classrooms) or per student (areas, equipment value).
    public var studentsPerUnit: Int64 {
        [.qualifiedTeachers, .keyTeachers, .artsAndPETeachers, .multimediaRooms].contains(self) ? 100 : 1
    }

    /// The threshold in hundredths (4.2 → 420) for a 学段.
    public func thresholdHundredths(_ stage: ResourceStage) -> Int64 {
        let primary = stage == .primary
        switch self {
        case .qualifiedTeachers: return primary ? 420 : 530
        case .keyTeachers: return 100
        case .artsAndPETeachers: return 90
        case .teachingArea: return primary ? 450 : 580
        case .sportsArea: return primary ? 750 : 1020
        case .equipmentValue: return primary ? 200_000 : 250_000
        case .multimediaRooms: return primary ? 230 : 240
        }
    }
}

/// The 学段 a resource row belongs to; a 九年一贯制 school is evaluated as its primary part
/// and its junior part (RULES.md §2).
public enum ResourceStage: String, Sendable, Hashable, Codable, CaseIterable {
    case primary = "小学"
    case junior = "初中"

    public init?(text: String) {
        let value = text.trimmingSpaces
        if value.contains("小学") || value == "小学部" {
            self = .primary
        } else if value.contains("初中") || value.contains("初级中学") {
            self = .junior
        } else {
            return nil
        }
    }

    /// County balance: the 差异系数 of each indicator must not exceed this (≤), RULES.md §2.
    public var maximumCV: Double { self == .primary ? 0.50 : 0.45 }
    /// 班额: 小学 ≤ 45, 初中 ≤ 50 students (RULES.md §3).
    public var maximumClassSize: Int { self == .primary ? 45 : 50 }
    /// 生师比: 小学 1:19, 初中 1:13.5, as students per teacher in tenths.
    public var maximumStudentsPerTeacherTenths: Int64 { self == .primary ? 190 : 135 }
}

/// Which schools the resource evaluation covers, and the size limit of a school.
public enum ResourceScope {
    /// Why a school is outside the resource evaluation (RULES.md §2: special-education and
    /// vocational schools, and 教学点 with fewer than 50 students), nil when it is in scope.
    public static func exclusion(name: String, kind: String?, students: Int) -> String? {
        let text = name + (kind ?? "")
        if text.contains("特殊教育") || text.contains("特教") || text.contains("培智") || text.contains("启智") {
            return "特殊教育学校，不参加资源配置评估"
        }
        if text.contains("职业") || text.contains("职教") || text.contains("职专") { return "职业学校，不参加资源配置评估" }
        if text.contains("教学点"), students < 50 { return "教学点在校生 \(students) 人（不足 50 人），不参加资源配置评估" }
        return nil
    }

    /// 学校规模: 小学、初中 ≤ 2000 students, 九年一贯制 ≤ 2500 (RULES.md §3).
    public static func maximumSchoolSize(_ stage: SchoolStage?) -> Int {
        stage == .nineYear || stage == .twelveYear ? 2500 : 2000
    }
}

/// The columns of the school resource return, as the statistics forms name them (the blank
/// template and the reader share them).
public enum ResourceTemplate {
    public static let columns =
        ["学校名称", "学校标识码", "学段", "学校类型", "在校生数"] + ResourceIndicator.allCases.map(\.sourceColumn) + [
            "班级数", "最大班额", "专任教师数",
        ]
}
