import Foundation
import Ingest
import Ledgers
import Standards
import TestSupport
import Testing

/// Legacy .xls (BIFF8) through FreeXL. The fixtures in Tests/Fixtures/xls are written by xlwt, an
/// independent writer (make_fixtures.py); those in Tests/Fixtures/realworld are public files
/// published by school software (their README cites each source).
@Suite struct XLSReaderTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")
    static let xls = fixtures.appendingPathComponent("xls")
    static let realworld = fixtures.appendingPathComponent("realworld")
    let term = Term("2025-2026-1")!

    /// What the fitness reader made of a file: each student's scorer input and score, by 学籍号.
    func scores(_ url: URL) throws -> (
        inputs: [String: FitnessInput], scores: [String: FitnessScore], findings: [Finding]
    ) {
        let scorer = try FitnessScorer.bundled()
        var inputs: [String: FitnessInput] = [:]
        var scores: [String: FitnessScore] = [:]
        let summary = try FitnessReader(term: term).read(url) { record in
            inputs[record.student.studentNo ?? ""] = record.input
            scores[record.student.studentNo ?? ""] = scorer.score(record.input)
        }
        return (inputs, scores, summary.findings)
    }

    /// The same students in .xls (with a merged title row, date cells, numbers stored as text),
    /// as a GB18030 CSV, and as an .xlsx written here: identical inputs and scores.
    @Test func sameDataInXlsXlsxAndCsvGivesIdenticalScores() throws {
        let fromXLS = try scores(Self.xls.appendingPathComponent("fitness_results.xls"))
        let csv = Self.xls.appendingPathComponent("fitness_results_gb18030.csv")
        let fromCSV = try scores(csv)
        #expect(fromXLS.scores.count == 5 && fromXLS.scores["G3701000001"]?.totalHundredths == 9040)
        #expect(fromXLS.scores["G3701000005"]?.status == .exempt)
        #expect(fromXLS.inputs == fromCSV.inputs)
        #expect(fromXLS.scores == fromCSV.scores)

        let xlsx = try temporaryFolder().appendingPathComponent("fitness_results.xlsx")
        let workbook = try XlsxWorkbook(path: xlsx.path)
        let sheet = try workbook.addSheet("体测成绩")
        for row in try readAllRows(csv).rows {
            try sheet.writeRow(
                row.number - 1, row.cells.map { cell in ValueParsing.number(cell).map(CellValue.number) ?? .text(cell) }
            )
        }
        try workbook.close()
        let fromXLSX = try scores(xlsx)
        #expect(fromXLSX.inputs == fromXLS.inputs)
        #expect(fromXLSX.scores == fromXLS.scores)
    }

    /// Cells as the .xlsx reader gives them: a date cell as yyyy-MM-dd, integers without a point,
    /// text as written, the merged title above the header.
    @Test func cellsReadAsTheXlsxReaderReadsThem() throws {
        let rows = try readAllRows(Self.xls.appendingPathComponent("fitness_results.xls")).rows
        #expect(rows[0][0] == "示例县实验小学 2025-2026学年 体质健康测试成绩")
        #expect(rows[2].cells.prefix(3) == ["年级编号", "班级编号", "班级名称"])
        #expect(rows[3][7] == "2019-03-04" && rows[3][0] == "11" && rows[3][9] == "120" && rows[3][12] == "10.9")
        #expect(rows[4][12] == "11.0")  // a number stored as text stays text
        #expect(rows[5][18] == "3′58″")
    }

    @Test func headerOnlyNationalTemplateIsAFitnessTable() throws {
        let url = Self.xls.appendingPathComponent("national_template_header_only.xls")
        let fitness = try FitnessReader(term: term).read(url) { _ in }
        #expect(fitness.rowsRead == 0 && fitness.findings.isEmpty, "\(fitness.findings.map(\.description))")
        let roster = try RosterReader(term: term).read(url, onSchool: { _ in }, onStudent: { _ in })
        #expect(roster.findings.contains { $0.message.contains("请用 jiance import fitness") })
    }

    /// Public files from school software: a header-only PE export (50m跑, 坐位前屈, 1000m跑), a
    /// WPS test list with title rows and numbered empty rows, the pre-2014 template (refused with
    /// what to use instead), a psych platform's roster template (学籍号 as a number, no 性别).
    @Test func realWorldLegacyFiles() throws {
        let pe = try FitnessReader(term: term).read(
            Self.realworld.appendingPathComponent("fitness_export_template_pe.xls")
        ) { _ in }
        #expect(pe.rowsRead == 0 && pe.findings.isEmpty, "\(pe.findings.map(\.description))")
        let wps = try FitnessReader(term: term).read(
            Self.realworld.appendingPathComponent("fitness_test_list_wps_title_rows.xls")
        ) { _ in }
        #expect(
            wps.rowsRead == 0 && wps.findings.isEmpty,
            "numbered empty rows are not students: \(wps.findings.prefix(3).map(\.description))")
        let old = try FitnessReader(term: term).read(
            Self.realworld.appendingPathComponent("fitness_upload_template_2013_old_layout.xls")
        ) { _ in }
        #expect(old.findings.contains { $0.severity == .error && $0.message.contains("2014 年以前的上报模板") })
        var students: [StudentRecord] = []
        let roster = try RosterReader(term: term).read(
            Self.realworld.appendingPathComponent("roster_import_template_mixed_ids.xls"), onSchool: { _ in },
            onStudent: { students.append($0) })
        #expect(
            students.map(\.studentNo) == ["123456789"] && students.map(\.name) == ["张三"]
                && students[0].className == "2班", "\(students)")
        #expect(roster.findings.contains { $0.severity == .warning && $0.message.contains("没有性别列") })
    }

    /// A damaged, an HTML "xls" and a workbook with another extension: read by content.
    @Test func fileKindsByContentNotExtension() throws {
        let folder = try temporaryFolder()
        let good = try Data(contentsOf: Self.xls.appendingPathComponent("fitness_results.xls"))
        let cut = folder.appendingPathComponent("cut.xls")
        try good.prefix(good.count / 3).write(to: cut)
        #expect(throws: FileReadError.self) {
            for table in try openTables(at: cut) { try table.forEachRow { _ in true } }
        }
        let html = folder.appendingPathComponent("导出.xls")
        try Data("<html><body><table><tr><td>姓名</td></tr></table></body></html>".utf8).write(to: html)
        #expect { try openTables(at: html) } throws: { ($0 as? FileReadError)?.reason.contains("网页（HTML）") == true }
        let et = folder.appendingPathComponent("wps.et")
        try good.write(to: et)
        #expect(try scores(et).scores.count == 5)
        let renamed = folder.appendingPathComponent("really-xls.xlsx")
        try good.write(to: renamed)
        #expect(try scores(renamed).scores.count == 5)
    }
}

/// The file's own 总分/标准分/等级 against the standard's result.
@Suite struct ClaimedResultTests {
    let term = Term("2025-2026-1")!

    func disagreements(_ csv: String) throws -> [Finding] {
        let url = try temporaryFolder().appendingPathComponent("totals.csv")
        try Data(csv.utf8).write(to: url)
        let scorer = try FitnessScorer.bundled()
        var found: [Finding] = []
        _ = try FitnessReader(term: term).read(url) { record in
            if let finding = record.claimed.disagreement(with: scorer.score(record.input)) {
                found += [finding].located(file: "", row: record.row)
            }
        }
        return found
    }

    /// G001 scores 90.40 优秀 by hand (FitnessScoringTests): 90, 90.4 and 90.40 agree (a tool's
    /// rounding); 85 and 良好 do not, and both values are quoted.
    @Test func totalsAndRatingsAgainstTheStandard() throws {
        let header = "年级编号,学籍号,姓名,性别,身高,体重,肺活量,50米跑,坐位体前屈,一分钟跳绳,总分,等级\n"
        let row = "11,G001,王堃,1,120.0,22.0,1250,10.9,12.5,115"
        let agreeing = try disagreements(
            header
                + "\(row),90,优秀\n\(row.replacingOccurrences(of: "G001", with: "G002")),90.4,优秀\n\(row.replacingOccurrences(of: "G001", with: "G003")),90.40,\n"
        )
        #expect(agreeing.isEmpty, "\(agreeing.map(\.description))")
        let wrong = try disagreements(
            header
                + "\(row),85,良好\n\(row.replacingOccurrences(of: "G001", with: "G002")),90.4,良好\n\(row.replacingOccurrences(of: "G001", with: "G003")),91,优秀\n"
        )
        #expect(wrong.map(\.row) == [2, 3, 4])
        #expect(wrong.first?.message.hasPrefix("文件中总分 85、等级 良好；按标准计算为 90.40、优秀") == true, "\(wrong.map(\.message))")
        #expect(wrong.allSatisfy { $0.severity == .warning })
    }

    /// A school tool's export (public, jigu1688/sporttools) states totals for first-graders
    /// without 一分钟跳绳, a required item: each is reported as not computable by the standard.
    @Test func aSchoolToolsExportIsCrossChecked() throws {
        let url = XLSReaderTests.realworld.appendingPathComponent("fitness_school_tool_export_with_totals.xlsx")
        let scorer = try FitnessScorer.bundled()
        var messages: [String] = []
        _ = try FitnessReader(term: term).read(url) { record in
            if let finding = record.claimed.disagreement(with: scorer.score(record.input)) {
                messages.append(finding.message)
            }
        }
        #expect(messages.count == 3)
        #expect(messages.first?.hasPrefix("文件中总分 85、等级 良好；按标准计算为 测试不完整（缺少1分钟跳绳）") == true, "\(messages)")
    }
}
