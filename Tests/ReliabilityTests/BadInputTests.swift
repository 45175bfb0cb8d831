import Foundation
import Imports
import Ingest
import Ledgers
import Standards
import Store
import TestSupport
import Testing
import ZIPFoundation

/// The corpus of bad inputs: every file gives findings and a clean exit code, never a crash,
/// a hang or unbounded memory.
@Suite struct BadInputTests {
    static let corpus: [String] =
        (try? FileManager.default.contentsOfDirectory(atPath: badFixtures.path).sorted()) ?? []

    @Test func corpusIsThere() {
        #expect(Self.corpus.count >= 19)
    }

    /// What each file of the corpus must draw from the reader it was made for (the roster
    /// reader, or the fitness reader for a results file): a finding of its own, so that a reader
    /// that stopped noticing the problem fails here. `nil`: a header alone is no data and no error.
    static let expected: [String: (fitness: Bool, finding: String?)] = [
        "bad-cell-references.xlsx": (false, "找不到学生名册的表头"),
        "dates-in-five-formats.csv": (false, "无法识别的日期"),
        "duplicate-student-numbers.csv": (false, "学籍号与第 2 行重复"),
        "empty.csv": (false, "文件是空的"),
        "future-birth-dates.csv": (false, "出生日期晚于学期开始"),
        "mixed-encodings.csv": (false, "既不是 UTF-8 也不是 GB18030"),
        "not-a-zip.xlsx": (false, "无法作为 zip 打开"),
        "nul-bytes.csv": (false, "空字符（NUL）"),
        "only-bom.csv": (false, "找不到学生名册的表头"),
        "only-header.csv": (false, nil),
        "same-student-two-schools.csv": (false, nil),
        "same-student-two-schools-2.csv": (false, nil),
        "shared-string-out-of-range.xlsx": (false, "共享字符串索引超出范围"),
        "sheet-cut-in-half.xlsx": (false, "内容不完整"),
        "text-in-number-columns.csv": (true, "不是数字"),
        "truncated-zip.xlsx": (false, "无法作为 zip 打开"),
        "unbalanced-quotes.csv": (false, "引号没有闭合"),
        "utf16.csv": (false, "UTF-16"),
        "zip-without-workbook.xlsx": (false, "xl/workbook.xml"),
    ]

    /// The reader a file was made for, alone: the rows it read and its findings (a typed error
    /// it threw counts as its finding).
    func read(_ file: String, fitness: Bool) throws -> (rowsRead: Int, findings: [Finding]) {
        let url = badFixtures.appendingPathComponent(file)
        do {
            let summary =
                fitness
                ? try FitnessReader(term: term).read(url) { _ in }
                : try RosterReader(term: term).read(url, onSchool: { _ in }, onStudent: { _ in })
            return (summary.rowsRead, summary.findings)
        } catch let error as FileReadError {
            return (0, [error.finding])
        }
    }

    @Test(arguments: corpus)
    func eachBadFileDrawsItsOwnFinding(file: String) throws {
        let expectation = try #require(Self.expected[file], "\(file) has no expected finding in this test")
        let summary = try read(file, fitness: expectation.fitness)
        if let finding = expectation.finding {
            #expect(
                summary.findings.contains { $0.message.contains(finding) && $0.severity != .info },
                "\(file): \(summary.findings.map(\.description))")
        } else if file == "only-header.csv" {
            #expect(
                summary.rowsRead == 0 && summary.findings.isEmpty, "\(file): \(summary.findings.map(\.description))")
        }
    }

    /// The control: a valid roster draws none of those findings.
    @Test func aValidRosterDrawsNone() throws {
        let url = try temporaryFolder().appendingPathComponent("valid.csv")
        try Data("学籍号,姓名,性别,出生日期,学校,年级,班级\nG1,王一,男,2015-03-04,甲校,四年级,1班\nG2,李二,女,2015-05-06,甲校,四年级,2班\n".utf8).write(
            to: url)
        let summary = try RosterReader(term: term).read(url, onSchool: { _ in }, onStudent: { _ in })
        #expect(summary.rowsRead == 2 && summary.rowsRejected == 0)
        #expect(summary.findings.isEmpty, "\(summary.findings.map(\.description))")
    }

    /// The CLI on each bad file: exit 1 with located findings, or 0 where the file is merely odd
    /// (warnings only); never a crash (a signal) or a usage error.
    @Test func cliExitsCleanlyOnEveryBadFile() throws {
        let folder = try temporaryFolder()
        for file in Self.corpus {
            let result = try runJiance(
                [
                    "import", "roster", badFixtures.appendingPathComponent(file).path, "--term", "2025-2026-1", "--db",
                    "bad.sqlite",
                ], in: folder)
            #expect(result.status == 0 || result.status == 1, "\(file): exit \(result.status)\n\(result.output)")
            #expect(result.output.contains(file), "\(file) not named in the output")
        }
        #expect(
            try runJiance(
                [
                    "import", "roster", badFixtures.appendingPathComponent("utf16.csv").path, "--term", "2025-2026-1",
                    "--db", "bad.sqlite",
                ], in: folder
            ).output.contains("UTF-16"))
    }

    @Test func specificFindings() throws {
        func messages(_ file: String) throws -> [String] {
            try readWithEveryReader(badFixtures.appendingPathComponent(file)).map(\.message)
        }
        #expect(try messages("not-a-zip.xlsx").contains { $0.contains("zip") })
        #expect(try messages("zip-without-workbook.xlsx").contains { $0.contains("xl/workbook.xml") })
        #expect(try messages("sheet-cut-in-half.xlsx").contains { $0.contains("不完整") })
        #expect(try messages("shared-string-out-of-range.xlsx").contains { $0.contains("共享字符串") })
        #expect(try messages("unbalanced-quotes.csv").contains { $0.contains("引号") })
        #expect(try messages("nul-bytes.csv").contains { $0.contains("NUL") })
        #expect(try messages("future-birth-dates.csv").contains { $0.contains("晚于学期开始") })
        #expect(try messages("future-birth-dates.csv").contains { $0.contains("不合理") })
        #expect(try messages("duplicate-student-numbers.csv").filter { $0.contains("重复") }.count >= 2)
        #expect(try messages("text-in-number-columns.csv").contains { $0.contains("不是数字") })
        #expect(try messages("text-in-number-columns.csv").contains { $0.contains("不合理") })  // negative height
        let dates = try readWithEveryReader(badFixtures.appendingPathComponent("dates-in-five-formats.csv")).filter {
            $0.column == "出生日期" && $0.severity == .error
        }
        #expect(dates.map(\.row) == [7, 8])  // 04/03/2015 is ambiguous, 2015-02-30 does not exist
    }

    @Test func sameStudentInTwoSchoolsIsAWarning() throws {
        let folder = try temporaryFolder()
        let database = try JianceDatabase(path: folder.appendingPathComponent("t.sqlite").path)
        _ = try RosterImporter(database: database).importFile(
            badFixtures.appendingPathComponent("same-student-two-schools.csv"), term: term)
        let second = try RosterImporter(database: database).importFile(
            badFixtures.appendingPathComponent("same-student-two-schools-2.csv"), term: term)
        #expect(second.findings.contains { $0.severity == .warning && $0.message.contains("甲校") })
    }

    // MARK: generated large inputs

    /// A part that inflates 1000:1 stops at the expansion limit with a finding, at once.
    @Test func zipBombStopsAtTheLimit() throws {
        let url = try temporaryFolder().appendingPathComponent("bomb.xlsx")
        let archive = try Archive(url: url, accessMode: .create)
        let parts: [(String, Data)] = [
            (
                "xl/workbook.xml",
                Data(
                    #"<workbook xmlns:r="r"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#.utf8
                )
            ),
            (
                "xl/_rels/workbook.xml.rels",
                Data(
                    #"<Relationships><Relationship Id="rId1" Type="x/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#
                        .utf8)
            ),
        ]
        for (path, data) in parts {
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count)) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        let size = 300 << 20  // 300 MB of spaces inside one element
        let chunk = Data(repeating: 0x20, count: 1 << 20)
        try archive.addEntry(
            with: "xl/worksheets/sheet1.xml", type: .file, uncompressedSize: Int64(size), compressionMethod: .deflate
        ) { position, length in
            position == 0 ? Data("<worksheet><sheetData>".utf8) + chunk.prefix(length - 22) : chunk.prefix(length)
        }
        let findings = try readWithEveryReader(url)
        #expect(findings.contains { $0.message.contains("压缩炸弹") })
    }

    /// 1,048,576 rows (Excel's maximum) are read whole with the defaults, and stop at a
    /// configured row limit with a finding.
    @Test func millionRowSheet() throws {
        let url = try temporaryFolder().appendingPathComponent("rows.xlsx")
        let archive = try Archive(url: url, accessMode: .create)
        for (path, text) in [
            (
                "xl/workbook.xml",
                #"<workbook xmlns:r="r"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#
            ),
            (
                "xl/_rels/workbook.xml.rels",
                #"<Relationships><Relationship Id="rId1" Type="x/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#
            ),
        ] {
            let data = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count)) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        var sheet = Data("<worksheet><sheetData>".utf8)
        for row in 1...1_048_576 {
            sheet.append(contentsOf: Array("<row r=\"\(row)\"><c><v>\(row)</v></c></row>".utf8))
        }
        sheet.append(contentsOf: Array("</sheetData></worksheet>".utf8))
        try archive.addEntry(
            with: "xl/worksheets/sheet1.xml", type: .file, uncompressedSize: Int64(sheet.count),
            compressionMethod: .deflate
        ) { position, size in
            sheet.subdata(in: Int(position)..<Int(position) + size)
        }
        var count = 0
        var last = ""
        let table = try openTables(at: url)[0]
        try table.forEachRow { row in
            count += 1
            last = row[0]
            return true
        }
        #expect(count == 1_048_576 && last == "1048576" && table.readFindings.isEmpty)
        var limits = ReadLimits()
        limits.maxRows = 1000
        let limited = try openTables(at: url, limits: limits)[0]
        count = 0
        try limited.forEachRow { _ in
            count += 1
            return true
        }
        #expect(count == 1000)
        #expect(limited.readFindings.contains { $0.message.contains("行数超过上限 1000") })
    }

    @Test func hugeCellsAndTenThousandColumns() throws {
        let folder = try temporaryFolder()
        let long = String(repeating: "长", count: 100_000)
        let csv = folder.appendingPathComponent("long.csv")
        try Data("学籍号,姓名,性别,出生日期,学校\nG1,\(long),男,2015-01-01,甲校\n".utf8).write(to: csv)
        #expect(try readWithEveryReader(csv).contains { $0.message.contains("已截断") })
        let xlsx = folder.appendingPathComponent("long.xlsx")
        let workbook = try XlsxWorkbook(path: xlsx.path)
        let sheet = try workbook.addSheet("S")
        try sheet.writeRow(0, ["学籍号", "姓名", "性别", "出生日期"].map(CellValue.text))
        try sheet.writeRow(
            1, [.text("G1"), .text(String(repeating: "长", count: 40_000)), .text("男"), .text("2015-01-01")])
        try workbook.close()
        // The writer cuts at Excel's 32,767 characters; the reader keeps that within its limit.
        var cell = ""
        try openTables(at: xlsx)[0].forEachRow { row in
            if row.number == 2 { cell = row[1] }
            return true
        }
        #expect(cell.count < 32_767 && cell.hasSuffix("（已截断）"))
        var limits = ReadLimits()
        limits.maxCellBytes = 3000
        #expect(try readWithEveryReader(xlsx, limits: limits).contains { $0.message.contains("已截断") })

        let wide = folder.appendingPathComponent("wide.csv")
        try Data(
            ((0..<10_000).map { "c\($0)" }.joined(separator: ",") + "\n"
                + (0..<10_000).map(String.init).joined(separator: ",") + "\n").utf8
        ).write(to: wide)
        #expect(!(try readWithEveryReader(wide)).isEmpty)
        limits = ReadLimits()
        limits.maxColumns = 100
        let table = try openTables(at: wide, limits: limits)[0]
        var widths: [Int] = []
        try table.forEachRow {
            widths.append($0.cells.count)
            return true
        }
        #expect(widths == [100, 100] && table.readFindings.contains { $0.message.contains("列数超过 100") })
    }

    @Test func fileSizeLimit() throws {
        var limits = ReadLimits()
        limits.maxFileBytes = 10
        #expect(throws: FileReadError.self) {
            try openTables(at: badFixtures.appendingPathComponent("dates-in-five-formats.csv"), limits: limits)
        }
    }
}
