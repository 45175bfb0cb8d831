/// A kind of screening or test that makes up a child's health record (健康档案): a student counts
/// as 建档 for a school year when the record holds one of each kind the county's settings name.
public enum HealthRecordKind: String, Sendable, Hashable, CaseIterable {
    case vision
    case fitness

    public var label: String {
        switch self {
        case .vision: "视力筛查"
        case .fitness: "体质健康测试"
        }
    }
}
