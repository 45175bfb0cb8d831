import Foundation
import GRDB
import Imports
import Ingest
import Ledgers
import Reports
import Services
import Standards
import Store
import TestSupport
import Testing

@Suite struct PsychLedgerTests {
    let term = Term("2025-2026-1")!
    static let roster =
        "学籍号,姓名,性别,出生日期,学校,年级,班级\nG001,王堃,男,2013-03-04,实验小学,六年级,1班\nG002,陈镕,女,2013-05-06,实验小学,六年级,1班\nG003,张喆,男,2013-05-06,实验小学,六年级,2班\n"
    /// G001: item 9 = 1 (红); G002: total 12 (黄); G003: total 2 (none).
    static let phq =
        "学籍号,姓名,Q1,Q2,Q3,Q4,Q5,Q6,Q7,Q8,Q9\nG001,王堃,1,1,0,0,0,0,0,0,1\nG002,陈镕,2,2,2,2,1,1,1,1,0\nG003,张喆,1,1,0,0,0,0,0,0,0\n"

    func database() throws -> (JianceDatabase, URL) {
        let folder = try temporaryFolder()
        let database = try JianceDatabase(path: folder.appendingPathComponent("t.sqlite").path)
        try Data(Self.roster.utf8).write(to: folder.appendingPathComponent("r.csv"))
        try Data(Self.phq.utf8).write(to: folder.appendingPathComponent("phq.csv"))
        _ = try RosterImporter(database: database).importFile(folder.appendingPathComponent("r.csv"), term: term)
        let outcome = try PsychImporter(database: database).importFile(
            folder.appendingPathComponent("phq.csv"), term: term, scale: PsychScale.named("phq9"),
            screenedOn: "2025-10-15")
        #expect(outcome.counts.accepted == 3 && !outcome.hasErrors)
        return (database, folder)
    }

    @Test func screeningOpensCasesForYellowAndAbove() throws {
        let (database, folder) = try database()
        let cases = try database.read {
            try Row.fetchAll(
                $0,
                sql:
                    "SELECT c.proposed_level, c.status, s.student_no FROM psych_case c JOIN student s ON s.id = c.student_id ORDER BY s.student_no"
            )
        }
        #expect(cases.map { $0["student_no"] as String } == ["G001", "G002"])
        #expect(cases.map { $0["proposed_level"] as String } == ["红", "黄"])
        #expect(cases.allSatisfy { ($0["status"] as String) == "待复核" })
        // A second wave: the open case gets an event, no new case.
        let second = folder.appendingPathComponent("gad.csv")
        try Data("学籍号,姓名,Q1,Q2,Q3,Q4,Q5,Q6,Q7\nG002,陈镕,3,3,3,3,3,0,0\n".utf8).write(to: second)
        _ = try PsychImporter(database: database).importFile(
            second, term: term, scale: PsychScale.named("gad7"), screenedOn: "2025-10-16")
        #expect(try database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM psych_case") } == 2)
        #expect(
            try database.read {
                try String.fetchOne(
                    $0,
                    sql:
                        "SELECT proposed_level FROM psych_case c JOIN student s ON s.id = c.student_id WHERE s.student_no = 'G002'"
                )
            } == "橙")
        // Events are append-only.
        #expect(throws: DatabaseError.self) {
            try database.write { try $0.execute(sql: "UPDATE psych_event SET detail = 'x'") }
        }
    }

    @Test func exportIsMaskedOwnerOnlyAuditedAndAbsentFromSchoolLedgers() throws {
        let (database, folder) = try database()
        let url = try ExportService(database: database).exportPsych(school: "实验小学", to: folder, date: "2025-10-20")
        #expect(
            (try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? NSNumber)?.intValue
                == 0o600)
        let ledger = try sheetRows(url, "心理危机干预台账")
        #expect(ledger[2].cells.prefix(4) == ["案例号", "版本", "序号", "学籍号"])
        #expect(ledger.count == 5 && ledger[3][3] != "G001" && ledger[3][4].contains("*"))
        let audit = try AuditLog.entries(database)
        #expect(
            audit.contains {
                $0.action == "export-psych-masked" && $0.target == url.lastPathComponent && $0.detail.contains("案例 2 个")
            })
        let named = try ExportService(database: database, personalData: .named).exportPsych(
            school: "实验小学", to: folder, date: "2025-10-20")
        #expect(try sheetRows(named, "心理危机干预台账")[3][4] == "王堃")
        #expect(try AuditLog.entries(database).contains { $0.action == "export-psych-named" })

        // The general school workbook holds no psychological data, not even in its 趋势 sheet,
        // which is written once a second term is stored: screen the same students a year earlier.
        let earlier = term.sameSeasonLastYear
        _ = try RosterImporter(database: database).importFile(folder.appendingPathComponent("r.csv"), term: earlier)
        _ = try PsychImporter(database: database).importFile(
            folder.appendingPathComponent("phq.csv"), term: earlier, scale: PsychScale.named("phq9"),
            screenedOn: "2024-10-15")
        let general = try #require(
            try ExportService(database: database, personalData: .named).exportSchoolLedgers(
                term: term, to: folder.appendingPathComponent("general")
            ).first)
        let sheets = try openTables(at: general).compactMap(\.sheetName)
        #expect(sheets.contains("趋势"), "\(sheets)")
        for table in try openTables(at: general) {
            #expect(!["心理危机干预台账", "事件记录"].contains(table.sheetName ?? ""))
            try table.forEachRow { row in
                #expect(
                    !row.cells.contains {
                        $0.contains("PHQ") || $0.contains("患者健康问卷") || $0.contains("红（一级）") || $0.contains("心理")
                            || $0.contains("预警")
                    },
                    "\(table.sheetName ?? "") \(row.cells)")
                return true
            }
        }
    }

    /// The ledger goes out, the counsellor fills the yellow cells of the exported file itself
    /// (only cells the protection leaves editable), it comes back: the edits become dated,
    /// attributed events; the case's earlier state stays in the event log; a stale row conflicts.
    @Test func ledgerRoundTripAppendsEvents() throws {
        let (database, folder) = try database()
        let url = try ExportService(database: database).exportPsych(school: "实验小学", to: folder, date: "2025-10-20")
        let header = try sheetRows(url, "心理危机干预台账")[2].cells
        #expect(Set(header).count == header.count, "\(header)")
        func column(_ name: String) throws -> Int { try #require(header.firstIndex(of: name)) }
        func returned(_ name: String, edits: [(row: Int, column: Int, value: WorkbookEdit.Value)]) throws -> URL {
            let file = folder.appendingPathComponent(name)
            try FileManager.default.copyItem(at: url, to: file)
            try WorkbookEdit(url: file).fill(sheet: "心理危机干预台账", edits)
            return file
        }
        var edits: [(row: Int, column: Int, value: WorkbookEdit.Value)] = []
        for row in [3, 4] {
            edits += [
                (row, try column("复核日期"), .typed("2025-10-16")),
                (row, try column("确认等级"), .typed(row == 3 ? "红" : "观察")),
                (row, try column("复核人"), .typed("李老师")),
            ]
        }
        edits += [
            (3, try column("告知监护人日期"), .typed("2025-10-16")), (3, try column("告知方式"), .typed("面谈")),
            (3, try column("转介机构"), .typed("县精神卫生中心")), (3, try column("下次随访日期"), .typed("2025-10-23")),
        ]
        let back = try returned("back.xlsx", edits: edits)
        let outcome = try FollowUpImporter(database: database).importFile(back, term: term)
        #expect(outcome.counts.accepted == 2 && outcome.counts.rejected == 0, "\(outcome.findings.map(\.description))")
        let states = try database.read {
            try Row.fetchAll(
                $0,
                sql:
                    "SELECT c.status, c.confirmed_level, c.next_date FROM psych_case c JOIN student s ON s.id = c.student_id ORDER BY s.student_no"
            )
        }
        #expect(states.map { $0["status"] as String } == ["跟进中", "观察中"])
        #expect(states.map { $0["confirmed_level"] as String? } == ["红", "观察"])
        #expect(states[0]["next_date"] as String? == "2025-10-23")
        let events = try database.read {
            try Row.fetchAll(
                $0,
                sql:
                    "SELECT e.kind, e.detail, e.by_whom FROM psych_event e JOIN psych_case c ON c.id = e.case_id JOIN student s ON s.id = c.student_id WHERE s.student_no = 'G001' ORDER BY e.id"
            )
        }
        #expect(events.map { $0["kind"] as String } == ["发现", "复核", "状态", "告知监护人", "转介", "计划"])
        #expect(events.contains { ($0["detail"] as String) == "待复核 → 跟进中" && ($0["by_whom"] as String?) == "李老师" })
        // Both versions are kept: the first status is still in the log.
        #expect(events.first.map { ($0["detail"] as String).contains("筛查提示红") } == true)

        // A row edited in an old copy (its 版本 is stale) is a conflict, not an overwrite.
        let stale = try returned(
            "stale.xlsx", edits: [(3, try column("状态"), .typed("结案")), (3, try column("结案原因"), .typed("误报"))])
        let conflict = try FollowUpImporter(database: database).importFile(stale, term: term)
        #expect(conflict.counts.rejected == 1)
        #expect(conflict.findings.contains { $0.message.contains("冲突") })
        #expect(
            try database.read {
                try String.fetchOne(
                    $0,
                    sql:
                        "SELECT status FROM psych_case c JOIN student s ON s.id = c.student_id WHERE s.student_no = 'G001'"
                )
            } == "跟进中")
    }

    @Test func countsWithoutNames() throws {
        let (database, _) = try database()
        let report = try PsychReport.load(from: database, term: term, reviewDays: 3, today: "2025-10-30")
        #expect(report.county.screened == 3 && report.county.enrolledInScope == 3 && report.county.screenedInScope == 3)
        #expect(report.county.byProposedLevel[.red] == 1 && report.county.byProposedLevel[.yellow] == 1)
        #expect(
            report.county.openCases == 2 && report.county.urgentCases == 1 && report.county.urgentReviewedInTime == 0)
        // Not reviewed: late once its days have run out, not before.
        let opened = try #require(
            try database.read {
                try String.fetchOne($0, sql: "SELECT opened_on FROM psych_case WHERE proposed_level = '红'")
            }.flatMap(CalendarDate.init(iso:)))
        func awaiting(daysAfterOpening days: Int) throws -> Int {
            let today = CalendarDate(
                iso: String(format: "%04d-%02d-%02d", opened.year, opened.month, opened.day + days))
            return try PsychReport.load(from: database, term: term, reviewDays: 3, today: try #require(today))
                .county.urgentAwaitingReview
        }
        try #require(opened.day <= 25, "the days after opening stay in its month")
        #expect(try awaiting(daysAfterOpening: 0) == 1 && awaiting(daysAfterOpening: 3) == 1)
        #expect(try awaiting(daysAfterOpening: 4) == 0)
    }
}
