import Foundation
import GRDB
import Imports
import Ingest
import Ledgers
import Samples
import Standards
import Store
import TestSupport
import Testing

/// Deterministic mutation fuzzing of the readers and value parsers. Beyond not crashing, every
/// input must keep the readers' invariants: each row read is either emitted or rejected, any
/// error thrown is a typed `FileReadError`, and the same input read twice gives the same records
/// and findings. A sample of the mutated files is imported too: the database stays intact and
/// the batch's counts add up. `JIANCE_FUZZ_ITERATIONS` scales the run (`make fuzz` runs a longer one).
@Suite struct FuzzTests {
    static let scale = Int(ProcessInfo.processInfo.environment["JIANCE_FUZZ_ITERATIONS"] ?? "") ?? 1

    /// Random edits of a valid file: flipped bytes, cuts, inserted delimiters and quotes, NULs,
    /// duplicated and deleted ranges.
    static func mutate(_ data: Data, using random: inout SeededGenerator) -> Data {
        var bytes = [UInt8](data)
        let interesting: [UInt8] = [
            0x22, 0x2C, 0x0A, 0x0D, 0x00, 0x3C, 0x3E, 0x26, 0xFF, 0xE4, 0x80, 0x3D, 0x2B, 0x2D, 0x40,
        ]
        for _ in 0..<Int.random(in: 1...8, using: &random) {
            guard !bytes.isEmpty else { break }
            let at = Int.random(in: 0..<bytes.count, using: &random)
            switch Int.random(in: 0..<6, using: &random) {
            case 0: bytes[at] = UInt8.random(in: 0...255, using: &random)
            case 1: bytes[at] = interesting[Int.random(in: 0..<interesting.count, using: &random)]
            case 2: bytes.insert(interesting[Int.random(in: 0..<interesting.count, using: &random)], at: at)
            case 3: bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...64, using: &random)))
            case 4: bytes = Array(bytes.prefix(at))
            default:
                let end = min(bytes.count, at + Int.random(in: 1...128, using: &random))
                bytes.insert(contentsOf: bytes[at..<end], at: at)
            }
        }
        return Data(bytes)
    }

    @Test func csvReadersSurviveMutations() throws {
        let folder = try temporaryFolder()
        let seed =
            "年级编号,班级编号,班级名称,学籍号,民族代码,姓名,性别,出生日期,家庭住址,身高,体重,肺活量,50米跑,立定跳远,坐位体前屈,50米x8往返跑,一分钟仰卧起坐,一分钟跳绳,800米跑（女）,1000米跑（男）,一分钟仰卧起坐（女）,引体向上（男）,右眼裸眼视力,左眼裸眼视力,Q1,Q9,语文,数学（满分120）,学校名称,学段,在校生数,学科,校际差异率,学业水平,教学仪器设备值（万元）\r\n11,1101,\"一年级1班\",G001,1,王堃,1,2019/3/4,\"某,街道\",120.0,22.0,1250,10.9,,12.5,,,115,,,,,4.8,5.0,1,0,98.5,缺考,实验小学,小学,600,数学,0.12,Ⅲ,150\r\n22,2201,初二1班,G002,1,陈镕,2,2012/5/6,,160,50,2450,9.1,170,16.0,,,,3′58″,,45,,0.9,指数,3,1,101,117,九年一贯制学校,初中,320,语文,12%,水平Ⅳ,88.5\r\n"
        var random = SeededGenerator(seed: 42)
        let database = try JianceDatabase(path: folder.appendingPathComponent("fuzz.sqlite").path)
        for encoding in [String.Encoding.utf8, String.Encoding(rawValue: 0x8000_0632)] {
            let base = try #require(seed.data(using: encoding))
            for index in 0..<(400 * Self.scale) {
                let url = folder.appendingPathComponent("m\(index).csv")
                try Self.mutate(base, using: &random).write(to: url)
                try Self.checkInvariants(url)
                if index % 20 == 0 { try Self.checkImport(url, into: database) }
            }
        }
    }

    @Test func xlsxReaderSurvivesMutations() throws {
        let folder = try temporaryFolder()
        let good = folder.appendingPathComponent("good.xlsx")
        let workbook = try XlsxWorkbook(path: good.path)
        let sheet = try workbook.addSheet("成绩")
        try sheet.writeRow(0, ["学籍号", "姓名", "性别", "出生日期", "年级编号", "身高", "体重", "右眼裸眼视力", "左眼裸眼视力"].map(CellValue.text))
        for row in 1...40 {
            try sheet.writeRow(
                row,
                [
                    .text("G\(row)"), .text("学生\(row)"), .text(row % 2 == 0 ? "男" : "女"),
                    .date(year: 2015, month: 1 + row % 12, day: 1 + row % 28),
                    .number(11), .number(120 + Double(row) / 10), .number(22), .number(4.8), .number(5.0),
                ])
        }
        try workbook.close()
        try Self.mutations(of: Data(contentsOf: good), named: "xlsx", seed: 7, in: folder)
    }

    /// Mutated legacy .xls files (FreeXL, a C library, reads them): typed errors or rows, never a crash.
    @Test func xlsReaderSurvivesMutations() throws {
        let base = try Data(contentsOf: packageRoot.appendingPathComponent("Tests/Fixtures/xls/fitness_results.xls"))
        try Self.mutations(of: base, named: "xls", seed: 11, in: try temporaryFolder())
    }

    /// 150 mutations of a workbook (× `JIANCE_FUZZ_ITERATIONS`), each read by every result reader
    /// with the invariants checked, every tenth imported.
    static func mutations(of base: Data, named fileExtension: String, seed: UInt64, in folder: URL) throws {
        let database = try JianceDatabase(path: folder.appendingPathComponent("fuzz.sqlite").path)
        var random = SeededGenerator(seed: seed)
        for index in 0..<(150 * scale) {
            let url = folder.appendingPathComponent("m\(index).\(fileExtension)")
            try mutate(base, using: &random).write(to: url)
            try checkInvariants(url)
            if index % 10 == 0 { try checkImport(url, into: database) }
        }
    }

    /// Random strings into every value parser: times, acuity, numbers, dates, grades, terms.
    @Test func valueParsersSurviveRandomText() throws {
        var random = SeededGenerator(seed: 99)
        let alphabet =
            Array("0123456789.-+:′'\"″’”/年月日分秒免测<>＜指数手动光感OKokGg一二三初高大班级 \t\u{3000}１２３．，,;") + [
                "\u{0}", "\u{FEFF}", "𠮷", "\u{202E}",
            ]
        let scale = try PsychScale.named("phq9")
        var parsed = 0
        for _ in 0..<(20_000 * Self.scale) {
            let length = Int.random(in: 0...12, using: &random)
            let text = String((0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &random)] })
            for item in FitnessItem.allCases where item != .bmi { _ = FitnessValues.parse(text, item: item) }
            _ = ValueParsing.number(text)
            _ = ValueParsing.date(text)
            _ = GradeCode(text: text)
            _ = Term(text)
            _ = Sex(text: text)
            _ = ClassName.normalize(text, grade: GradeCode(code: 11))
            _ = Acuity.isBelowChartText(text)
            _ = GlassesType(text: text)
            _ = scale.value(of: text)
            if let number = ValueParsing.number(text) {
                _ = Acuity.fromDecimal(number)
                _ = Acuity.fromFivePoint(number)
                _ = ExcelDate.text(fromSerial: number, uses1904Epoch: false)
                _ = Diopters(diopters: number)
                parsed += 1
            }
        }
        #expect(parsed > 0)
    }

    /// What one reader made of a file: its records, findings and counts, or the error it threw.
    struct Reading<Record: Equatable>: Equatable {
        var records: [Record] = []
        var findings: [Finding] = []
        var rowsRead = 0
        var rowsRejected = 0
        var threw: String?
    }

    static func reading<Record: Equatable>(_ read: (_ emit: (Record) -> Void) throws -> ReadSummary) -> Reading<Record>
    {
        var result = Reading<Record>()
        do {
            let summary = try read { result.records.append($0) }
            result.findings = summary.findings
            result.rowsRead = summary.rowsRead
            result.rowsRejected = summary.rowsRejected
        } catch let error as FileReadError {
            result.threw = error.description
        } catch {
            result.threw = "untyped: \(error)"
        }
        return result
    }

    static func check<Record: Equatable>(_ name: String, _ url: URL, _ read: () -> Reading<Record>) {
        let first = read()
        let second = read()
        #expect(first.threw?.hasPrefix("untyped") != true, "\(name) \(url.lastPathComponent): \(first.threw ?? "")")
        #expect(
            first.records.count + first.rowsRejected == first.rowsRead,
            "\(name) \(url.lastPathComponent): \(first.records.count) + \(first.rowsRejected) ≠ \(first.rowsRead)")
        #expect(first.records == second.records, "\(name) \(url.lastPathComponent): records differ when read twice")
        #expect(first.findings == second.findings, "\(name) \(url.lastPathComponent): findings differ when read twice")
    }

    /// The invariants of each result reader on one input.
    static func checkInvariants(_ url: URL) throws {
        let scale = try PsychScale.named("phq9")
        check("fitness", url) { reading { emit in try FitnessReader(term: term).read(url) { emit($0) } } }
        check("vision", url) { reading { emit in try VisionReader(term: term).read(url) { emit($0) } } }
        check("psych", url) { reading { emit in try PsychReader(term: term, scale: scale).read(url) { emit($0) } } }
        check("academic", url) {
            reading { emit in try AcademicReader(term: term) { _, _ in 100 }.read(url) { emit($0) } }
        }
    }

    /// A mutated file imported as fitness results: the database passes integrity_check and the
    /// batch it kept (if any) records the counts the import reported, which add up.
    static func checkImport(_ url: URL, into database: JianceDatabase) throws {
        let outcome = try FitnessImporter(database: database, scorer: FitnessScorer.bundled()).importFile(
            url, term: term, defaultSchool: "实验小学")
        #expect(
            outcome.counts.accepted + outcome.counts.rejected == outcome.counts.read,
            "\(url.lastPathComponent): \(outcome.counts)")
        #expect(outcome.counts.inserted + outcome.counts.updated + outcome.counts.unchanged == outcome.counts.accepted)
        try database.read { db in
            #expect(try String.fetchOne(db, sql: "PRAGMA integrity_check") == "ok")
            if let batch = outcome.batchID {
                let row = try #require(
                    try Row.fetchOne(
                        db, sql: "SELECT rows_read, rows_accepted, rows_rejected FROM import_batch WHERE id = ?",
                        arguments: [batch]))
                let stored: [Int] = [row["rows_read"], row["rows_accepted"], row["rows_rejected"]]
                let reported = [outcome.counts.read, outcome.counts.accepted, outcome.counts.rejected]
                #expect(stored == reported)
            }
        }
    }
}
