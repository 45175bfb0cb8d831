/// County-level figures of the national evaluation that no Jiance import carries; the bureau
/// types them into the settings file (`county_figures`) and the self-assessment checks them
/// (../shared/reference/academic/RULES.md §3: 以上/不低于/达到 → ≥).
public enum CountyFigure: String, Sendable, CaseIterable {
    case nearbyEnrolmentPrimary = "nearby_enrolment_primary"
    case nearbyEnrolmentJunior = "nearby_enrolment_junior"
    case migrantChildrenPublic = "migrant_children_public"
    case disabledEnrolment = "disabled_enrolment"
    case juniorRetention = "junior_retention"
    case ruralArtsPEHires = "rural_arts_pe_hires"
    case curriculumComplete = "curriculum_complete"
    case curriculumReform = "curriculum_reform"
    case publicSatisfaction = "public_satisfaction"

    public var name: String {
        switch self {
        case .nearbyEnrolmentPrimary: "就近划片入学比例（小学）"
        case .nearbyEnrolmentJunior: "就近划片入学比例（初中）"
        case .migrantChildrenPublic: "随迁子女在公办学校和政府购买学位就读比例"
        case .disabledEnrolment: "残疾儿童少年入学率"
        case .juniorRetention: "初中三年巩固率"
        case .ruralArtsPEHires: "农村新招聘教师中音体美教师比例"
        case .curriculumComplete: "课程开设完整率"
        case .curriculumReform: "课程改革覆盖面"
        case .publicSatisfaction: "社会认可度"
        }
    }

    /// The minimum share (≥).
    public var minimum: Double {
        switch self {
        case .nearbyEnrolmentPrimary, .curriculumComplete, .curriculumReform: 1.0
        case .nearbyEnrolmentJunior, .disabledEnrolment, .juniorRetention: 0.95
        case .migrantChildrenPublic, .publicSatisfaction: 0.85
        case .ruralArtsPEHires: 0.20
        }
    }

    /// Whether a share meets the minimum, compared on ten-thousandths so that 0.95 typed as
    /// a decimal is not lost to binary rounding.
    public func meets(_ value: Double) -> Bool {
        (value * 10_000).rounded() >= (minimum * 10_000).rounded()
    }
}
