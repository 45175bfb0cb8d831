import Foundation
import GRDB
import Ingest
import Standards
import Store

/// `jiance import psych`: answer sheets of one scale, scored and graded; a sheet that proposes
/// 黄 or higher opens a case in the crisis-intervention ledger (状态 待复核), or adds an event to
/// the student's open case. Nothing here is ever exported except by `jiance export psych`.
public struct PsychImporter {
    public let database: JianceDatabase
    /// The one school an upload may touch (a school account's); nil for any school.
    public var onlySchool: Int64?
    /// Safety limits for reading the files.
    public var limits = ReadLimits()
    public var settings: PsychSettings

    public init(database: JianceDatabase, settings: PsychSettings = PsychSettings()) {
        self.database = database
        self.settings = settings
    }

    /// `wave` names the screening (default: the term and scale), `screenedOn` its day.
    public func importFile(
        _ url: URL, term: Term, scale: PsychScale, wave: String? = nil, screenedOn: CalendarDate,
        mode: ImportMode = .keepValid,
        defaultSchool: String? = nil, sheet: String? = nil
    ) throws -> ImportOutcome {
        let scorer = PsychScorer(settings: settings)
        let waveName = wave ?? "\(term.label)\(scale.name)筛查"
        return try ImportTransaction(database: database, onlySchool: onlySchool).run(
            kind: .psych(scale: scale.id), file: url, term: term, mode: mode
        ) {
            db, batch, counts, findings in
            let ledger = PsychLedgerStore(db: db, batch: batch)
            var configured = PsychReader(term: term, scale: scale)
            configured.limits = limits
            configured.readAhead = true
            let reader = configured
            try StudentResultImport(
                db: db, batch: batch, file: url, term: term, defaultSchool: defaultSchool, onlySchool: onlySchool
            ).run(
                counts: &counts, findings: &findings,
                // A row's columns are built on the reading thread; the writing thread resolves and binds.
                produce: { emit in
                    try reader.read(url, sheet: sheet) { record in
                        try emit(PsychRow(record, result: scorer.score(record.answers, scale: scale)))
                    }
                },
                student: { $0.columns.student }, remarks: { $0.columns.remarks }
            ) { (row: PsychRow, studentID, schoolID, rows) in
                let result = row.result
                let change = try row.columns.save(
                    in: rows, table: "psych_screening",
                    key: [
                        ("term_id", term.description.databaseValue), ("wave", waveName.databaseValue),
                        ("scale", scale.id.databaseValue), ("student_id", studentID.databaseValue),
                    ],
                    school: schoolID)
                // 观察 means re-test next cycle (RULES.md): counted, but no case is opened.
                if change != .unchanged, let level = result.riskLevel, level >= .yellow {
                    let screening = try Int64.fetchOne(
                        db,
                        sql:
                            "SELECT id FROM psych_screening WHERE term_id = ? AND wave = ? AND scale = ? AND student_id = ?",
                        arguments: [term.description, waveName, scale.id, studentID])
                    try ledger.recordScreening(
                        studentID: studentID, schoolID: schoolID, screeningID: screening, level: level, on: screenedOn,
                        detail: "\(waveName)：\(scale.name) 总分 \(result.total.map(String.init) ?? "—")"
                            + (result.criticalItems.isEmpty
                                ? "" : "，关键条目 \(result.criticalItems.joined(separator: "、"))")
                            + (result.criticalItemsKnown ? "" : "（仅总分，关键条目未知）"))
                }
                return change
            }
        }
    }
}

/// A psychological screening row: its columns (the answers as given, and what the scorer made of
/// them), and the scorer's result, which decides on the writing thread whether a case opens.
struct PsychRow: Sendable {
    let columns: ResultRow
    let result: PsychResult

    init(_ record: PsychRecord, result: PsychResult) {
        self.result = result
        let inputs: [(String, DatabaseValue)] = [
            ("grade_code", record.student.grade?.code.databaseValue ?? .null),
            ("class_name", record.student.className.databaseValue),
            ("answers", Self.answersJSON(record.answers.answers).databaseValue),
            (
                "supplementary",
                jsonObject(record.answers.supplementary.map { ($0.key, $0.value.databaseValue) }).databaseValue
            ),
            ("total_only", record.answers.totalOnly.databaseValue),
        ]
        let derived: [(String, DatabaseValue)] = [
            ("total", result.total.databaseValue), ("band", result.band.databaseValue),
            ("risk_level", result.riskLevel?.rawValue.databaseValue ?? .null),
            ("critical_items", result.criticalItems.joined(separator: "、").databaseValue),
            ("valid", result.valid.databaseValue),
            ("complete", result.complete.databaseValue),
        ]
        columns = ResultRow(
            student: record.student, remarks: result.findings, inputs: inputs, derived: derived, isBlank: false)
    }

    /// The answers as stored: a JSON object keyed by the item number zero-padded to three digits,
    /// so that keys sort in item order (`{"001":1,"002":0,…,"100":1}`; no scale has a thousand
    /// items), the same text `jsonObject` makes of those keys. Written straight as bytes: an MHT
    /// sheet has 100 answers a student, and a key `String` and a sort of the keys as strings cost
    /// three fifths of its import's writing (callgrind).
    static func answersJSON(_ answers: [Int: Int]) -> String {
        var out: [UInt8] = [UInt8(ascii: "{")]
        out.reserveCapacity(8 * answers.count + 2)
        for item in answers.keys.sorted() {
            if out.count > 1 { out.append(UInt8(ascii: ",")) }
            out.append(UInt8(ascii: "\""))
            appendDecimal(item, width: 3, to: &out)
            out.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
            appendDecimal(answers[item] ?? 0, width: 1, to: &out)
        }
        out.append(UInt8(ascii: "}"))
        return String(decoding: out, as: UTF8.self)
    }

    /// `number` in decimal, zero-padded to `width` digits (a minus sign before them): written
    /// last digit first, then turned around in place.
    private static func appendDecimal(_ number: Int, width: Int, to out: inout [UInt8]) {
        if number < 0 { out.append(UInt8(ascii: "-")) }
        let start = out.count
        var rest = number.magnitude
        repeat {
            out.append(UInt8(ascii: "0") + UInt8(rest % 10))
            rest /= 10
        } while rest > 0
        while out.count - start < width { out.append(UInt8(ascii: "0")) }
        var (low, high) = (start, out.count - 1)
        while low < high {
            out.swapAt(low, high)
            (low, high) = (low + 1, high - 1)
        }
    }
}

/// Cases and their append-only events.
struct PsychLedgerStore {
    let db: Database
    let batch: Int64?

    /// A screening that proposes a level: a new case (待复核) or an event on the open case.
    func recordScreening(
        studentID: Int64, schoolID: Int64, screeningID: Int64?, level: RiskLevel, on date: CalendarDate, detail: String
    ) throws {
        if let open = try Row.fetchOne(
            db,
            sql:
                "SELECT id, proposed_level FROM psych_case WHERE student_id = ? AND status != ? ORDER BY id DESC LIMIT 1",
            arguments: [studentID, PsychCaseStatus.closed.rawValue])
        {
            let caseID: Int64 = open["id"]
            try appendEvent(
                caseID: caseID, on: date, kind: .found, detail: "再次筛查提示\(level.rawValue)：\(detail)", by: "筛查")
            if let current = (open["proposed_level"] as String?).flatMap(RiskLevel.init(rawValue:)), level > current {
                try db.execute(
                    sql: "UPDATE psych_case SET proposed_level = ?, screening_id = ? WHERE id = ?",
                    arguments: [level.rawValue, screeningID, caseID])
            }
            return
        }
        try db.execute(
            sql: """
                INSERT INTO psych_case (student_id, school_id, opened_on, source, screening_id, proposed_level, status, batch_id)
                VALUES (?, ?, ?, '筛查', ?, ?, ?, ?)
                """,
            arguments: [
                studentID, schoolID, date, screeningID, level.rawValue, PsychCaseStatus.awaitingReview.rawValue, batch,
            ])
        try appendEvent(
            caseID: db.lastInsertedRowID, on: date, kind: .found, detail: "筛查提示\(level.rawValue)：\(detail)", by: "筛查")
    }

    func appendEvent(caseID: Int64, on date: CalendarDate, kind: PsychEventKind, detail: String, by: String?) throws {
        try db.execute(
            sql:
                "INSERT INTO psych_event (case_id, on_date, kind, detail, by_whom, batch_id, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            arguments: [caseID, date, kind.rawValue, detail, by, batch, Timestamp.now()])
    }

    /// Turns one returned ledger row into events: 复核 (confirming the level), 告知监护人, 干预, 转介,
    /// 随访, the next date, and a status change; all dated, attributed to 记录人, appended.
    /// Returns remarks for the importer (a 结案 without a reason, a review without a level).
    func applyFollowUp(caseID: Int64, fields: [String: String]) throws -> [String] {
        var remarks: [String] = []
        let by = fields["记录人"] ?? fields["复核人"]
        // The importer has checked every date cell, so each parses; a missing one is today.
        func day(_ label: String) -> CalendarDate? { fields[label].flatMap(CalendarDate.init(iso:)) }
        let today = Today.date
        let fallbackDate = day("随访日期") ?? day("复核日期") ?? today
        guard
            let current = try Row.fetchOne(
                db, sql: "SELECT status, confirmed_level FROM psych_case WHERE id = ?", arguments: [caseID])
        else { return remarks }
        var status = PsychCaseStatus(rawValue: current["status"]) ?? .awaitingReview
        if let level = fields["确认等级"] {
            try appendEvent(
                caseID: caseID, on: day("复核日期") ?? today, kind: .review, detail: "确认等级：\(level)",
                by: fields["复核人"] ?? by)
            try db.execute(sql: "UPDATE psych_case SET confirmed_level = ? WHERE id = ?", arguments: [level, caseID])
            if status == .awaitingReview, fields["状态"] == nil {
                let next = PsychCaseStatus.afterReview(confirming: level)
                try appendEvent(
                    caseID: caseID, on: day("复核日期") ?? today, kind: .statusChange,
                    detail: "\(status.rawValue) → \(next.rawValue)", by: by)
                status = next
            }
        } else if fields["复核日期"] != nil {
            remarks.append("填写了复核日期但没有确认等级")
        }
        if let notified = day("告知监护人日期") {
            try appendEvent(
                caseID: caseID, on: notified, kind: .guardianInformed, detail: "方式：\(fields["告知方式"] ?? "未填")", by: by)
        }
        if let action = fields["干预措施"] {
            try appendEvent(caseID: caseID, on: fallbackDate, kind: .intervention, detail: action, by: by)
        }
        if fields["转介机构"] != nil || fields["转介日期"] != nil {
            try appendEvent(
                caseID: caseID, on: day("转介日期") ?? fallbackDate, kind: .referral,
                detail: "机构：\(fields["转介机构"] ?? "未填")",
                by: by)
        }
        if let visit = day("随访日期") ?? (fields["随访内容"] != nil ? today : nil) {
            try appendEvent(caseID: caseID, on: visit, kind: .followUpVisit, detail: fields["随访内容"] ?? "", by: by)
        }
        if let next = day("下次随访日期") {
            try appendEvent(caseID: caseID, on: fallbackDate, kind: .plan, detail: "下次随访 \(next)", by: by)
            try db.execute(sql: "UPDATE psych_case SET next_date = ? WHERE id = ?", arguments: [next, caseID])
        }
        if let newStatus = fields["状态"].flatMap(PsychCaseStatus.init(rawValue:)), newStatus != status {
            if newStatus == .closed && fields["结案原因"] == nil { remarks.append("状态改为结案但没有填写结案原因") }
            try appendEvent(
                caseID: caseID, on: fallbackDate, kind: newStatus == .closed ? .closing : .statusChange,
                detail: "\(status.rawValue) → \(newStatus.rawValue)" + (fields["结案原因"].map { "；原因：\($0)" } ?? ""),
                by: by)
            status = newStatus
        }
        try db.execute(sql: "UPDATE psych_case SET status = ? WHERE id = ?", arguments: [status.rawValue, caseID])
        return remarks
    }
}
