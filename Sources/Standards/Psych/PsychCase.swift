/// The status of a case in the crisis-intervention ledger (../shared/reference/psych/RULES.md,
/// The ledger): opened 待复核 by a screening, 跟进中 or 观察中 after the review, 结案 when closed.
public enum PsychCaseStatus: String, Sendable, CaseIterable {
    case awaitingReview = "待复核"
    case following = "跟进中"
    case watching = "观察中"
    case closed = "结案"

    /// The status a review moves an awaiting case to: 观察 and 无风险 are watched, the rest followed.
    public static func afterReview(confirming level: String) -> PsychCaseStatus {
        ["观察", "无风险"].contains(level) ? .watching : .following
    }
}

/// The kinds of dated event a case's append-only log holds (RULES.md, The ledger).
public enum PsychEventKind: String, Sendable, CaseIterable {
    case found = "发现"
    case review = "复核"
    case guardianInformed = "告知监护人"
    case intervention = "干预"
    case referral = "转介"
    case followUpVisit = "随访"
    case plan = "计划"
    case statusChange = "状态"
    case closing = "结案"
    /// An import batch that recorded the case's earlier events was undone.
    case undone = "撤销"
}
