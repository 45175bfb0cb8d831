import Foundation
import GRDB
import Imports
import Indicators
import Ingest
import Ledgers
import Reports
import Services
import Standards
import Store
import TestSupport
import Testing

@Suite struct FitnessLedgerTests {
    let term = Term("2025-2026-1")!
    static let roster =
        "学籍号,姓名,性别,出生日期,学校,年级,班级\nG001,王堃,男,2019-03-04,实验小学,一年级,1班\nG002,陈镕,女,2019-05-06,实验小学,一年级,1班\nG003,张喆,男,2019-05-06,实验小学,一年级,1班\nG004,李免,女,2019-05-06,实验小学,一年级,1班\n"
    /// G001 优秀 (90.40); G002 不及格 and obese; G003 incomplete; G004 免测.
    static let results = """
        年级编号,班级编号,班级名称,学籍号,民族代码,姓名,性别,出生日期,身高,体重,肺活量,50米跑,坐位体前屈,一分钟跳绳
        11,1101,1班,G001,1,王堃,1,2019/3/4,120.0,22.0,1250,10.9,12.5,115
        11,1101,1班,G002,1,陈镕,2,2019/5/6,115,30,520,13.5,-2.0,10
        11,1101,1班,G003,1,张喆,1,2019/5/6,118,21,1000,,14.0,100
        11,1101,1班,G004,1,李免,2,2019/5/6,免体,,,,,

        """

    func database() throws -> (JianceDatabase, URL) {
        let folder = try temporaryFolder()
        let database = try JianceDatabase(path: folder.appendingPathComponent("t.sqlite").path)
        try Data(Self.roster.utf8).write(to: folder.appendingPathComponent("r.csv"))
        try Data(Self.results.utf8).write(to: folder.appendingPathComponent("f.csv"))
        _ = try RosterImporter(database: database).importFile(folder.appendingPathComponent("r.csv"), term: term)
        let outcome = try FitnessImporter(database: database, scorer: FitnessScorer.bundled()).importFile(
            folder.appendingPathComponent("f.csv"), term: term)
        #expect(outcome.counts.accepted == 4)
        return (database, folder)
    }

    @Test func schoolLedgerFitnessSheetsReadBack() throws {
        let (database, folder) = try database()
        let files = try ExportService(database: database, personalData: .named).exportSchoolLedgers(
            term: term, to: folder.appendingPathComponent("out"))
        let url = try #require(files.first)

        let details = try sheetRows(url, "体质成绩明细")
        let header = details[2].cells
        let g001 = try #require(details.first { $0[1] == "G001" })
        func value(_ row: RawRow, _ column: String) -> String { row[header.firstIndex(of: column) ?? 999] }
        #expect(value(g001, "学年总分") == "90.4", "\(header) \(g001.cells)")
        #expect(value(g001, "等级") == "优秀" && value(g001, "BMI") == "15.3")
        #expect(value(g001, "肺活量得分") == "78" && value(g001, "1分钟跳绳得分") == "100" && value(g001, "附加分") == "3")
        let g003 = try #require(details.first { $0[1] == "G003" })
        #expect(value(g003, "状态") == "测试不完整" && value(g003, "学年总分") == "")
        #expect(details.first { $0[1] == "G004" }.map { value($0, "状态") } == "免测")

        let overview = try sheetRows(url, "体质概览")
        let school = try #require(overview.first { $0[0] == "全校" })
        #expect(Array(school.cells[1...8]) == ["4", "2", "1", "1", "1", "0", "0", "1"])  // 在籍 测试 免测 不完整 优秀 良好 及格 不及格
        #expect(school[10] == "0.5")  // 优良率 1/2

        let failing = try sheetRows(url, "不及格学生台账")
        #expect(failing.filter { $0[3] == "G002" }.count == 1)
        #expect(failing[2].cells.prefix(4) == ["记录号", "版本", "序号", "学籍号"])
        #expect(failing.count == 4)  // title, note, header, one student
        let obese = try sheetRows(url, "肥胖学生台账")
        #expect(obese.contains { $0[3] == "G002" && $0[10] == "22.7" })

        // Failing scores are highlighted; the chart points at the grade rows of the overview.
        let detailsXML = try part("xl/worksheets/sheet4.xml", of: url)
        #expect(detailsXML.contains("operator=\"lessThan\"") && detailsXML.contains("<formula>60</formula>"))
        let chart = try part("xl/charts/chart1.xml", of: url)
        #expect(chart.contains("<c:f>'体质概览'!$A$4:$A$4</c:f>"))
        #expect(chart.contains("<c:f>'体质概览'!$K$4:$K$4</c:f>") && chart.contains("<c:f>'体质概览'!$L$4:$L$4</c:f>"))
        // Follow-up sheet: protected, fill-in cells unlocked, dropdown from the hidden 字典.
        let failingXML = try part("xl/worksheets/sheet5.xml", of: url)
        #expect(failingXML.contains("<sheetProtection") && failingXML.contains("字典!$A$2:$A$7"))
        let styles = try part("xl/styles.xml", of: url)
        #expect(styles.contains("locked=\"0\""))
    }

    /// An exported ledger has the cells of a ledger written from the same rows in memory and
    /// streamed to disk, whether the export holds a school's rows or has each sheet read them
    /// from a database cursor (a large school: follow-up subsets and items by SQL).
    @Test func anExportedLedgerHasTheCellsOfItsRows() throws {
        let (database, folder) = try database()
        let school = try #require(try database.schools().first)
        let students = try RosterQueries(database: database).enrolledStudents(term: term, schoolID: school.id)
        let results = try FitnessQueries(database: database).results(term: term, schoolID: school.id)
        func cells(_ url: URL) throws -> [String: [[String]]] {
            var sheets: [String: [[String]]] = [:]
            for table in try openTables(at: url) {
                try table.forEachRow {
                    sheets[table.sheetName ?? "", default: []].append($0.cells)
                    return true
                }
            }
            return sheets
        }
        var ledger = SchoolLedger(
            school: school, term: term, students: StreamedRows(students), fitness: FitnessLedgerRows(results))
        ledger.streamingRows = 0
        let streamed = folder.appendingPathComponent("streamed.xlsx")
        try ledger.write(to: streamed)
        // Rows went to disk as they were written: text inline, no shared-string table.
        #expect(try part("xl/worksheets/sheet1.xml", of: streamed).contains("inlineStr"))
        let fromRows = try cells(streamed)
        #expect(Set(fromRows.keys) == ["不及格学生台账", "体质成绩明细", "体质概览", "学生名册", "字典", "班级人数", "肥胖学生台账"])
        // Rows held in memory (a school of up to `heldRows`), or read anew by each sheet.
        for heldRows in [2_000, 0] {
            var service = ExportService(database: database)
            service.heldRows = heldRows
            let exported = try #require(
                try service.exportSchoolLedgers(term: term, to: folder.appendingPathComponent("exported-\(heldRows)"))
                    .first)
            var fromDatabase = try cells(exported)
            // The export also lists the students without a vision screening this school year.
            #expect(fromDatabase.removeValue(forKey: "未建档学生")?.count == 3 + 4)
            #expect(fromDatabase == fromRows)
        }
    }

    /// 毕业成绩 of a 六年级 student: this year's total × 50 % + earlier years' mean × 50 %, the
    /// earlier totals looked up from the database as the ledger's rows are written.
    @Test func graduatingStudentsHaveTheirGraduationScore() throws {
        let folder = try temporaryFolder()
        let database = try JianceDatabase(path: folder.appendingPathComponent("t.sqlite").path)
        let header = "学校名称,年级编号,班级编号,班级名称,学籍号,民族代码,姓名,性别,出生日期,身高,体重,肺活量,50米跑,坐位体前屈,一分钟跳绳,一分钟仰卧起坐,50米x8往返跑"
        let years: [(term: String, grade: Int, row: String)] = [
            ("2023-2024-1", 14, "140,33,1800,9.6,8.0,130,38,"),
            ("2024-2025-1", 15, "146,37,2100,9.1,9.5,145,41,1:45"),
            ("2025-2026-1", 16, "152,41,2400,8.7,11.0,160,44,1:40"),
        ]
        for year in years {
            let file = folder.appendingPathComponent("\(year.term).csv")
            try Data(
                "\(header)\n实验小学,\(year.grade),\(year.grade)01,1班,G601,1,赵毕业,1,2013/3/4,\(year.row)\n".utf8
            ).write(to: file)
            _ = try FitnessImporter(database: database, scorer: FitnessScorer.bundled()).importFile(
                file, term: Term(year.term)!)
        }
        let totals = try years.map {
            try #require(
                try FitnessQueries(database: database).results(term: Term($0.term)!).first?.observation.totalHundredths)
        }
        let expected = try #require(
            graduationScoreHundredths(graduatingYear: totals[2], earlierYears: Array(totals[..<2])))
        let url = try #require(
            try ExportService(database: database).exportSchoolLedgers(
                term: term, to: folder.appendingPathComponent("out")
            ).first)
        let details = try sheetRows(url, "体质成绩明细")
        let column = try #require(details[2].cells.firstIndex(of: "毕业成绩"))
        #expect(details[3][column] == String(Double(expected) / 100))
    }

    /// Every dropdown of every follow-up sheet offers exactly the choices its importer accepts:
    /// the list each data validation points at, read from the hidden 字典 sheet, equals the spec.
    @Test func everyDropdownIsTheListItsImporterAccepts() throws {
        let (database, folder) = try database()
        let url = try #require(
            try ExportService(database: database).exportSchoolLedgers(
                term: term, to: folder.appendingPathComponent("out")
            ).first)
        let dictionary = try sheetRows(url, "字典")
        func list(_ formula: String) -> [String] {
            // =字典!$B$2:$B$7 → column B, rows 2…7.
            let parts = formula.split(separator: "$")
            let column = Int(parts[1].unicodeScalars.first!.value) - 65
            let first = Int(parts[2].prefix { $0.isNumber })!
            let last = Int(parts[4])!
            return (first...last).map { row in dictionary.first { $0.number == row }?[column] ?? "" }
        }
        var checked = 0
        for spec in [FollowUpSpec.fitnessFail, .fitnessObese] {
            let header = try sheetRows(url, spec.sheet)[2].cells
            let xml = try part("xl/worksheets/sheet\(spec.sheet == "不及格学生台账" ? 5 : 6).xml", of: url)
            for case .choice(let label, let choices) in spec.columns {
                let column = WorkbookEdit.columnName(try #require(header.firstIndex(of: label)))
                let validation = try #require(
                    xml.matches(
                        of:
                            /<dataValidation [^>]*sqref="([A-Z]+)\d+(?::[A-Z]+\d+)?"[^>]*>\s*<formula1>([^<]+)<\/formula1>/
                    )
                    .first { String($0.output.1) == column })
                #expect(list(String(validation.output.2)) == choices, "\(spec.sheet) \(label)")
                checked += 1
            }
        }
        #expect(checked == 2)
    }

    /// Both fitness follow-up sheets go out, the teacher fills every yellow column of the
    /// exported file, and each value arrives; 33kg, 优秀 and a formula are findings, not answers.
    @Test func fitnessFollowUpRoundTrip() throws {
        let (database, folder) = try database()
        let exported = try #require(
            try ExportService(database: database).exportSchoolLedgers(
                term: term, to: folder.appendingPathComponent("out")
            ).first)
        var edits: [(row: Int, column: Int, value: WorkbookEdit.Value)] = []
        let answers: [String: [String: String]] = [
            "不及格学生台账": ["原因分析": "耐力差", "干预措施": "家校共育（家庭锻炼打卡）", "补测日期": "2025-12-01", "补测成绩": "61.5", "责任教师": "王老师"],
            "肥胖学生台账": [
                "干预措施": "运动处方", "家长沟通日期": "2025-10-10", "复测日期": "2025-12-02", "复测体重(kg)": "28.5", "责任教师": "赵老师",
            ],
        ]
        let edit = WorkbookEdit(url: exported)
        for (sheet, values) in answers {
            let header = try sheetRows(exported, sheet)[2].cells
            edits = try values.map { label, value in (3, try #require(header.lastIndex(of: label)), .typed(value)) }
            try edit.fill(sheet: sheet, edits)
        }
        let outcome = try FollowUpImporter(database: database).importFile(exported, term: term)
        #expect(
            outcome.counts.inserted == 2 && outcome.counts.rejected == 0,
            "\(outcome.counts) \(outcome.findings.map(\.description))")
        let stored = try database.read { try Row.fetchAll($0, sql: "SELECT kind, fields FROM followup") }
        for row in stored {
            let kind: String = row["kind"]
            let fields: String = row["fields"]
            let expected = answers[kind == "fitness-fail" ? "不及格学生台账" : "肥胖学生台账"]!
            for (label, value) in expected {
                #expect(fields.contains("\"\(label)\":\"\(value)\""), "\(kind) \(label) in \(fields)")
            }
        }

        // Values a school types by mistake are findings, and the stored answers stay.
        let next = try #require(
            try ExportService(database: database).exportSchoolLedgers(
                term: term, to: folder.appendingPathComponent("out2")
            ).first)
        let obeseHeader = try sheetRows(next, "肥胖学生台账")[2].cells
        let failHeader = try sheetRows(next, "不及格学生台账")[2].cells
        try WorkbookEdit(url: next).fill(
            sheet: "肥胖学生台账", [(3, try #require(obeseHeader.firstIndex(of: "复测体重(kg)")), .typed("33kg"))])
        try WorkbookEdit(url: next).fill(
            sheet: "不及格学生台账",
            [
                (3, try #require(failHeader.firstIndex(of: "补测成绩")), .typed("优秀")),
                (3, try #require(failHeader.firstIndex(of: "责任教师")), .formula("B4")),
            ])
        let wrong = try FollowUpImporter(database: database).importFile(next, term: term)
        #expect(wrong.counts.rejected == 2 && wrong.counts.accepted == 0)
        #expect(wrong.findings.contains { $0.column == "复测体重(kg)" && $0.message.contains("应为 14–200 之间的数字") })
        #expect(wrong.findings.contains { $0.column == "补测成绩" && $0.message.contains("应为 0–120 之间的数字") })
        #expect(wrong.findings.contains { $0.column == "责任教师" && $0.message.contains("公式") })
        #expect(
            Set(try database.read { try String.fetchAll($0, sql: "SELECT fields FROM followup") })
                == Set(stored.map { $0["fields"] as String }))
    }

    @Test func countyWorkbookHasEveryRateAndTarget() throws {
        let (database, folder) = try database()
        let url = try ExportService(database: database).exportCounty(term: term, to: folder, today: "2025-10-20")
        let county = try sheetRows(url, "体质健康")
        let all = try #require(county.first { $0[1] == "全县" })
        #expect(Array(all.cells[6...8]) == ["2", "1", "1"], "\(all.cells)")
        #expect(all[11] == "0.55" && all[12] == "未达标" && all[14] == "0.98")
        #expect(county.contains { $0[0] == "1" && $0[1] == "实验小学" })
    }

    /// The upload file read back by the import reader and scored gives the stored scores.
    @Test func uploadExportRoundTrip() throws {
        let (database, folder) = try database()
        let url = try ExportService(database: database).exportUpload(term: term, school: "实验小学", to: folder)
        #expect(
            (try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? NSNumber)?.intValue
                == 0o600)
        #expect(try AuditLog.entries(database).contains { $0.action == "export-named-upload" })
        let header = try sheetRows(url, "Sheet1")[0].cells
        #expect(header.count == 22 && header[0] == "年级编号" && header[21] == "引体向上（男）")
        let stored = try FitnessQueries(database: database).results(term: term)
        let scorer = try FitnessScorer.bundled()
        var readBack: [String: FitnessScore] = [:]
        let summary = try FitnessReader(term: term).read(url) { record in
            readBack[record.student.studentNo ?? ""] = scorer.score(record.input)
        }
        #expect(summary.rowsRejected == 0)
        #expect(readBack.count == stored.count)
        for row in stored {
            let score = try #require(readBack[row.studentNo ?? ""])
            #expect(score.status == row.observation.status)
            #expect(score.totalHundredths == row.observation.totalHundredths)
            #expect(score.bmi == row.bmi)
        }
    }
}
