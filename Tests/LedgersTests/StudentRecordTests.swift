import Foundation
import Imports
import Ingest
import Ledgers
import Services
import Standards
import Store
import TestSupport
import Testing

/// 学生健康档案 for printing. 乙校 in 2025-2026-1: 六年级2班 holds 王小一 (G1: three school years of
/// fitness and vision, the first two at 甲校, and a PHQ-9 screening that must never be printed),
/// 李小二 (G2: one fitness result and one screening) and 赵小三 (G3: enrolled, nothing measured);
/// 一年级1班 holds 钱小四 (G4).
@Suite struct StudentRecordTests {
    let term = Term("2025-2026-1")!
    static let fitnessHeader = "年级编号,班级编号,班级名称,学籍号,民族代码,姓名,性别,出生日期,身高,体重,肺活量,50米跑,坐位体前屈,一分钟跳绳,一分钟仰卧起坐,50米×8往返跑\n"
    static let visionHeader =
        "年级编号,班级编号,班级名称,学籍号,民族代码,姓名,性别,出生日期,家庭住址,右眼裸眼视力,左眼裸眼视力,右眼屈光球镜S,右眼屈光柱镜C,右眼屈光轴位A,左眼屈光球镜S,左眼屈光柱镜C,左眼屈光轴位A,是否为角膜塑形镜（OK镜）佩戴者\n"

    func database() throws -> (JianceDatabase, URL) {
        let folder = try temporaryFolder()
        let database = try JianceDatabase(path: folder.appendingPathComponent("t.sqlite").path)
        let scorer = try FitnessScorer.bundled()
        let years: [(term: String, roster: String, fitness: String, vision: String)] = [
            (
                "2023-2024-1", "G1,王小一,男,2014-03-20,甲校,14,1班",
                "14,1401,1班,G1,1,王小一,1,2014/3/20,129.7,28.0,2209,9.7,6.4,79,39,",
                "14,1401,1班,G1,1,王小一,1,2014/3/20,,5.0,5.0,0,0,,0,0,,否"
            ),
            (
                "2024-2025-1", "G1,王小一,男,2014-03-20,甲校,15,1班",
                "15,1501,1班,G1,1,王小一,1,2014/3/20,145.1,38.0,2849,8.8,4.7,109,44,1′53″",
                "15,1501,1班,G1,1,王小一,1,2014/3/20,,4.9,5.0,-0.75,0,,0,0,,否"
            ),
            (
                "2025-2026-1",
                "G1,王小一,男,2014-03-20,乙校,16,2班\nG2,李小二,男,2014-05-01,乙校,16,2班\nG3,赵小三,女,2014-06-01,乙校,16,2班\nG4,钱小四,女,2019-09-01,乙校,11,1班",
                "16,1602,2班,G1,1,王小一,1,2014/3/20,152.6,39.6,3106,8.3,7.2,151,45,1′37″\n16,1602,2班,G2,1,李小二,1,2014/5/1,150.0,40.0,3000,8.5,7.0,150,45,1′40″",
                "16,1602,2班,G1,1,王小一,1,2014/3/20,,4.8,4.9,-1.25,-0.50,180,-1.00,0,,否\n16,1602,2班,G2,1,李小二,1,2014/5/1,,5.0,5.0,0,0,,0,0,,否"
            ),
        ]
        for year in years {
            let term = try #require(Term(year.term))
            for (name, text) in [
                ("r.csv", "学籍号,姓名,性别,出生日期,学校,年级编号,班级\n\(year.roster)\n"),
                ("f.csv", Self.fitnessHeader + year.fitness + "\n"), ("v.csv", Self.visionHeader + year.vision + "\n"),
            ] {
                try Data(text.utf8).write(to: folder.appendingPathComponent(name))
            }
            _ = try RosterImporter(database: database).importFile(folder.appendingPathComponent("r.csv"), term: term)
            let fitness = try FitnessImporter(database: database, scorer: scorer).importFile(
                folder.appendingPathComponent("f.csv"), term: term)
            let vision = try VisionImporter(database: database).importFile(
                folder.appendingPathComponent("v.csv"), term: term)
            #expect(fitness.counts.rejected == 0 && vision.counts.rejected == 0)
        }
        try importPHQ9("G1,王小一,3,3,3,3,3,3,3,3,3", database: database, folder: folder, term: term)
        return (database, folder)
    }

    func export(_ personalData: PersonalDataMode = .masked) throws -> (JianceDatabase, URL, count: Int) {
        let (database, folder) = try database()
        let (url, count) = try ExportService(database: database, personalData: personalData).exportRecords(
            school: "乙校", className: nil, term: term, to: folder.appendingPathComponent("out"))
        return (database, url, count)
    }

    /// The 0-based rows where each student's page starts (its title), from the sheet's cells.
    func pageStarts(_ url: URL, _ sheet: String) throws -> [Int] {
        try sheetRows(url, sheet).filter { $0.cells.first == "学生健康档案" }.map { $0.number - 1 }
    }

    @Test func onePagePerStudentOneSheetPerClassInGradeOrder() throws {
        let (_, url, count) = try export()
        #expect(count == 4)
        let xml = try parts(of: url)
        let workbook = try #require(xml["xl/workbook.xml"])
        let first = try #require(workbook.range(of: "name=\"一年级 1班\""))
        let second = try #require(workbook.range(of: "name=\"六年级 2班\""))
        #expect(first.lowerBound < second.lowerBound, "classes in grade order")

        // Sheet 2 (六年级 2班): three students, three pages: a manual break at each title but the first.
        let sheet = try #require(xml["xl/worksheets/sheet2.xml"])
        let breaks = sheet.matches(of: /<brk id="(\d+)"/).map { Int($0.output.1)! }
        let starts = try pageStarts(url, "六年级 2班")
        #expect(starts.count == 3)
        #expect(breaks.count + 1 == 3, "\(breaks)")
        #expect(breaks == Array(starts.dropFirst()))
        // Sheet 1 (一年级 1班): one student, one page, no break.
        #expect(try #require(xml["xl/worksheets/sheet1.xml"]).contains("<rowBreaks") == false)
        #expect(try pageStarts(url, "一年级 1班").count == 1)
        // Print setup: A4 portrait, the page header names school and class, a print-title row.
        #expect(sheet.contains("paperSize=\"9\"") && sheet.contains("orientation=\"portrait\""))
        #expect(sheet.contains("<oddHeader>&amp;L乙校　六年级 2班"))
        #expect(workbook.contains("_xlnm.Print_Titles") && workbook.contains("'六年级 2班'!$1:$1"))
    }

    @Test func chartsOnlyForAStudentWithTwoPointsOrMore() throws {
        let (_, url, _) = try export()
        let xml = try parts(of: url)
        let charts = xml.keys.filter { $0.hasPrefix("xl/charts/chart") }.sorted()
        #expect(charts == ["xl/charts/chart1.xml", "xl/charts/chart2.xml", "xl/charts/chart3.xml"])
        // The charts hang from 六年级 2班's drawing, which refers to each of them.
        let sheetRels = try #require(xml["xl/worksheets/_rels/sheet2.xml.rels"])
        #expect(sheetRels.contains("../drawings/drawing1.xml"))
        #expect(try #require(xml["xl/worksheets/sheet2.xml"]).contains("<drawing r:id="))
        #expect(xml["xl/worksheets/_rels/sheet1.xml.rels"] == nil, "一年级 1班 has no chart")
        let drawingRels = try #require(xml["xl/drawings/_rels/drawing1.xml.rels"])
        for chart in charts { #expect(drawingRels.contains("../charts/\(chart.split(separator: "/").last!)")) }
        // Height, BMI and 学年总分 of the table's cells.
        let references = charts.compactMap { xml[$0] }.joined()
        for column in ["C", "E", "I"] { #expect(references.contains("'六年级 2班'!$\(column)$")) }
        #expect(references.contains("身高") && references.contains("BMI") && references.contains("学年总分"))
        // Every chart sits on 王小一's page (the first), none on 李小二's (one point) or 赵小三's.
        let starts = try pageStarts(url, "六年级 2班")
        let drawing = try #require(xml["xl/drawings/drawing1.xml"])
        let rows = drawing.matches(of: /<xdr:from><xdr:col>\d+<\/xdr:col><xdr:colOff>\d+<\/xdr:colOff><xdr:row>(\d+)</)
            .map { Int($0.output.1)! }
        #expect(rows.count == 3)
        #expect(rows.allSatisfy { starts[0] < $0 && $0 < starts[1] }, "\(rows) \(starts)")
    }

    @Test func noPsychologicalWordAnywhere() throws {
        let (_, url, _) = try export(.named)
        let text = try parts(of: url).values.joined()
        #expect(text.contains("王小一"))
        for word in ["心理", "PHQ", "GAD", "抑郁", "焦虑", "危机", "量表", "自杀", "phq"] {
            #expect(!text.contains(word), "\(word)")
        }
    }

    @Test func maskedByDefaultNamedOnRequest() throws {
        let masked = try #require(try parts(of: try export().1)["xl/sharedStrings.xml"])
        #expect(masked.contains("王*一") && masked.contains("姓名与学籍号已脱敏"))
        for full in ["王小一", "李小二", "赵小三", "钱小四", "2014-03-20"] { #expect(!masked.contains(full), "\(full)") }
        let named = try #require(try parts(of: try export(.named).1)["xl/sharedStrings.xml"])
        #expect(named.contains("姓名：王小一　学籍号：G1") && named.contains("钱小四") && !named.contains("王*一"))
    }

    @Test func ownerOnlyAndAuditedWithTheCount() throws {
        for (mode, action) in [(PersonalDataMode.masked, "export-records"), (.named, "export-named-records")] {
            let (database, url, count) = try export(mode)
            #expect(
                (try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? NSNumber)?
                    .intValue == 0o600)
            let entries = try AuditLog.entries(database).filter { $0.action == action }
            #expect(entries.count == 1)
            #expect(
                entries.first?.target == url.lastPathComponent && entries.first?.detail.contains("\(count) 份") == true)
        }
        let (database, folder) = try database()
        #expect(throws: NothingToExport.self) {
            try ExportService(database: database).exportRecords(
                school: "乙校", className: "三年级1班", term: term, to: folder)
        }
    }

    @Test func aMovedStudentShowsEveryTerm() throws {
        let (_, url, _) = try export()
        let rows = try sheetRows(url, "六年级 2班").map { $0.cells.joined(separator: "|") }
        let start = try #require(rows.firstIndex { $0.contains("姓名：王*一") })
        let end = try #require(rows[(start + 1)...].firstIndex { $0.hasPrefix("学生健康档案") })
        let page = rows[start..<end].joined(separator: "\n")
        #expect(page.contains("2023-2024学年　甲校　四年级1班"), "\(page)")
        #expect(page.contains("2024-2025学年　甲校　五年级1班"))
        #expect(page.contains("2025-2026学年　乙校　六年级2班"))
        for term in ["2023-2024-1", "2024-2025-1", "2025-2026-1"] {
            #expect(page.contains("\(term)|"), "fitness and vision rows of \(term)")
            #expect(page.contains("\(term)　肺活量"), "items of \(term)")
        }
        #expect(page.contains("|78.95|") && page.contains("|91.35|"), "学年总分 of the first and last years")
        #expect(page.contains("毕业成绩（六年级，2025-2026-1）：86.78 分"))
        #expect(page.contains("2025-2026-1|初筛|4.8|4.9|-1.50|-1.00|是"))
    }
}
