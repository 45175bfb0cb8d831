import GRDB
import Ingest
import Standards
import Store

/// A case of the crisis-intervention ledger with its student and events.
public struct PsychCaseRow: Sendable {
    public struct Event: Sendable {
        public var id: Int64
        public var date: CalendarDate
        /// Nil only for a kind this version does not know (written by a later one).
        public var kind: PsychEventKind?
        public var detail: String
        public var by: String?
    }

    public var id: Int64
    public var studentNo: String?
    public var name: String
    public var sex: Sex?
    public var grade: GradeCode?
    public var className: String?
    public var openedOn: CalendarDate
    public var source: String
    public var screening: String?
    public var proposed: RiskLevel?
    public var confirmed: String?
    public var status: PsychCaseStatus
    public var nextDate: CalendarDate?
    public var events: [Event]

    /// The last event id: the 版本 a returned ledger row must still carry.
    public var version: Int64? { events.map(\.id).max() }
}

/// Counts of a term's psychological screening, never names (RULES.md, Confidentiality).
public struct PsychCounts: Sendable {
    public var enrolledInScope = 0
    public var screenedInScope = 0
    public var screened = 0
    public var byProposedLevel: [RiskLevel: Int] = [:]
    public var incomplete = 0
    public var void = 0
    public var openCases = 0
    public var casesByConfirmedLevel: [String: Int] = [:]
    /// Red and orange cases, those reviewed within the configured days, and those not reviewed
    /// yet whose days have not run out (not late).
    public var urgentCases = 0
    public var urgentReviewedInTime = 0
    public var urgentAwaitingReview = 0
    /// Open cases whose next follow-up date has passed.
    public var overdue = 0
}

public struct PsychQueries {
    public let database: JianceDatabase

    public init(database: JianceDatabase) { self.database = database }

    /// Terms with psychological screenings, oldest first.
    public func terms() throws -> [Term] {
        try database.read { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT term_id FROM psych_screening").compactMap(Term.init).sorted()
        }
    }

    /// Schools with screenings or cases, for per-school counts.
    public func schoolIDs(term: Term) throws -> [Int64] {
        try database.read { db in
            try Int64.fetchAll(
                db,
                sql:
                    "SELECT school_id FROM psych_screening WHERE term_id = ? UNION SELECT school_id FROM psych_case ORDER BY 1",
                arguments: [term.description])
        }
    }

    /// Every case of a school (open ones first), with events in order.
    public func cases(schoolID: Int64) throws -> [PsychCaseRow] {
        try database.read { db in
            let events = try Row.fetchAll(
                db,
                sql: """
                    SELECT e.* FROM psych_event e JOIN psych_case c ON c.id = e.case_id WHERE c.school_id = ? ORDER BY e.id
                    """, arguments: [schoolID])
            var byCase: [Int64: [PsychCaseRow.Event]] = [:]
            for row in events {
                byCase[row["case_id"], default: []].append(
                    PsychCaseRow.Event(
                        id: row["id"], date: row["on_date"],
                        kind: (row["kind"] as String?).flatMap(PsychEventKind.init),
                        detail: row["detail"],
                        by: row["by_whom"]))
            }
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT c.*, s.student_no, s.name, s.sex, p.grade_code, p.class_name, p.scale, p.total, p.critical_items
                    FROM psych_case c JOIN student s ON s.id = c.student_id LEFT JOIN psych_screening p ON p.id = c.screening_id
                    WHERE c.school_id = ? ORDER BY c.status = ?, c.id
                    """, arguments: [schoolID, PsychCaseStatus.closed.rawValue]
            ).map { row in
                let scale: String? = row["scale"]
                let critical: String? = row["critical_items"]
                let screening = scale.map {
                    "\($0) 总分 \((row["total"] as Int?).map(String.init) ?? "—")"
                        + ((critical ?? "").isEmpty ? "" : "；关键条目 \(critical!)")
                }
                return PsychCaseRow(
                    id: row["id"], studentNo: row["student_no"], name: row["name"],
                    sex: (row["sex"] as String?).flatMap(Sex.init(rawValue:)),
                    grade: (row["grade_code"] as Int?).flatMap(GradeCode.init(code:)), className: row["class_name"],
                    openedOn: row["opened_on"],
                    source: row["source"], screening: screening,
                    proposed: (row["proposed_level"] as String?).flatMap(RiskLevel.init(rawValue:)),
                    confirmed: row["confirmed_level"],
                    // A status this version does not know is shown as awaiting review: the safe side.
                    status: (row["status"] as String?).flatMap(PsychCaseStatus.init) ?? .awaitingReview,
                    nextDate: row["next_date"],
                    events: byCase[row["id"]] ?? [])
            }
        }
    }

    /// County or school counts for `term`: coverage of grades 4–9 against the roster (the policy
    /// expects yearly screening from upper primary), proposed levels, cases, timeliness.
    public func counts(term: Term, schoolID: Int64? = nil, today: CalendarDate, reviewDays: Int) throws -> PsychCounts {
        let range = schoolRange(schoolID)
        return try database.read { db in
            var counts = PsychCounts()
            counts.enrolledInScope =
                try Int.fetchOne(
                    db,
                    sql:
                        "SELECT COUNT(*) FROM enrolment WHERE term_id = ? AND grade_code BETWEEN 14 AND 24 AND school_id BETWEEN ? AND ?",
                    arguments: [term.description, range.0, range.1]) ?? 0
            counts.screenedInScope =
                try Int.fetchOne(
                    db,
                    sql: """
                        SELECT COUNT(DISTINCT p.student_id) FROM psych_screening p JOIN enrolment e ON e.student_id = p.student_id AND e.term_id = p.term_id
                        WHERE p.term_id = ? AND e.grade_code BETWEEN 14 AND 24 AND p.school_id BETWEEN ? AND ?
                        """, arguments: [term.description, range.0, range.1]) ?? 0
            counts.screened =
                try Int.fetchOne(
                    db,
                    sql:
                        "SELECT COUNT(DISTINCT student_id) FROM psych_screening WHERE term_id = ? AND school_id BETWEEN ? AND ?",
                    arguments: [term.description, range.0, range.1]) ?? 0
            // One pass over the term's sheets: incomplete and void sheets, and each student's
            // proposed level, the highest over their sheets.
            var levels: [Int64: RiskLevel] = [:]
            let sheets = try Row.fetchCursor(
                db,
                sql:
                    "SELECT student_id, risk_level, complete, valid FROM psych_screening WHERE term_id = ? AND school_id BETWEEN ? AND ?",
                arguments: [term.description, range.0, range.1])
            while let row = try sheets.next() {
                if !(row[2] as Bool) { counts.incomplete += 1 }
                if !(row[3] as Bool) { counts.void += 1 }
                guard let level = (row[1] as String?).flatMap(RiskLevel.init(rawValue:)) else { continue }
                let id: Int64 = row[0]
                levels[id] = max(levels[id] ?? level, level)
            }
            for level in levels.values { counts.byProposedLevel[level, default: 0] += 1 }
            // Read case by case from a cursor: a county's cases are not held at once.
            let cases = try Row.fetchCursor(
                db,
                sql: """
                    SELECT id, status, next_date, confirmed_level, proposed_level, opened_on
                    FROM psych_case WHERE school_id BETWEEN ? AND ?
                    """, arguments: [range.0, range.1])
            while let row = try cases.next() {
                if row["status"] as String != PsychCaseStatus.closed.rawValue {
                    counts.openCases += 1
                    if let next = (row["next_date"] as String?).flatMap(CalendarDate.init(iso:)), next < today {
                        counts.overdue += 1
                    }
                }
                if let confirmed: String = row["confirmed_level"] {
                    counts.casesByConfirmedLevel[confirmed, default: 0] += 1
                }
                if let proposed = (row["proposed_level"] as String?).flatMap(RiskLevel.init(rawValue:)),
                    proposed >= .orange
                {
                    counts.urgentCases += 1
                    let opened = CalendarDate(iso: row["opened_on"])
                    let reviewed = try String.fetchOne(
                        db,
                        sql:
                            "SELECT MIN(on_date) FROM psych_event WHERE case_id = ? AND kind = '\(PsychEventKind.review.rawValue)'",
                        arguments: [row["id"] as Int64]
                    ).flatMap(CalendarDate.init(iso:))
                    if let reviewed {
                        if let days = opened?.days(to: reviewed), days <= reviewDays {
                            counts.urgentReviewedInTime += 1
                        }
                    } else if let days = opened?.days(to: today), days <= reviewDays {
                        counts.urgentAwaitingReview += 1
                    }
                }
            }
            return counts
        }
    }
}
