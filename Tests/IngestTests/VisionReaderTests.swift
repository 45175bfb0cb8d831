import Foundation
import Ingest
import Standards
import TestSupport
import Testing

@Suite struct VisionReaderTests {
    let term = Term("2025-2026-1")!

    func read(_ csv: String) throws -> (records: [VisionRecord], summary: ReadSummary) {
        let url = try temporaryFolder().appendingPathComponent("视力.csv")
        try Data(csv.utf8).write(to: url)
        var records: [VisionRecord] = []
        let summary = try VisionReader(term: term).read(url) { records.append($0) }
        return (records, summary)
    }

    @Test func nationalUploadTable() throws {
        let (records, summary) = try read(
            """
            年级编号,班级编号,班级名称,学籍号,民族代码,姓名,性别,出生日期,家庭住址,右眼裸眼视力,左眼裸眼视力,右眼屈光球镜S,右眼屈光柱镜C,右眼屈光轴位A,左眼屈光球镜S,左眼屈光柱镜C,左眼屈光轴位A,是否为角膜塑形镜（OK镜）佩戴者
            14,1401,四年级1班,G001,1,王堃,1,2015/3/4,,4.8,5.0,-1.25,-0.50,180,+0.50,--,,否
            14,1401,四年级1班,G002,1,陈镕,2,2015/5/6,,5.0,5.0,,,,,,,是
            """)
        #expect(summary.findings.filter { $0.severity == .error }.isEmpty)
        #expect(records.count == 2)
        let first = records[0].input
        #expect(first.right.acuity == .fivePoint(tenths: 48) && first.left.acuity == .fivePoint(tenths: 50))
        #expect(
            first.right.sphere == Diopters(thousandths: -1250) && first.right.cylinder == Diopters(thousandths: -500)
                && first.right.axis == 180)
        #expect(first.left.sphere == Diopters(thousandths: 500) && first.left.cylinder == nil)
        #expect(records[1].input.glasses == .orthokeratology)
        #expect(records[0].student.className == "1班" && records[0].student.grade?.code == 14)
        #expect(first.ageMonths == (2025 - 2015) * 12 + (9 - 3))
    }

    /// A sheet longer than the rows the first pass holds is read a second time; a short one is
    /// parsed from the held rows. Both give the same records for the same rows, and the notation
    /// is decided on every row: refraction in 度 shows only in the last row (beyond 30), after
    /// the held rows of the long sheet.
    @Test func longSheetReadAgainLikeAHeldOne() throws {
        let header = "学籍号,姓名,右眼裸眼视力,左眼裸眼视力,右眼球镜,左眼球镜\n"
        func line(_ index: Int) -> String {
            "G\(100_000 + index),学生\(index),\(index % 7 == 0 ? "指数" : "4.\(index % 10)"),5.0,-125,25\n"
        }
        let count = VisionReader.heldRows + 10
        let long = try read(header + (0..<count).map(line).joined() + "G9,末行,4.9,5.0,-350,-25\n")
        let short = try read(header + (0..<10).map(line).joined() + "G9,末行,4.9,5.0,-350,-25\n")
        #expect(long.records.count == count + 1 && short.records.count == 11)
        #expect(Array(long.records.prefix(10)).map(\.input) == Array(short.records.prefix(10)).map(\.input))
        #expect(long.records.last?.input == short.records.last?.input)
        #expect(long.records.last?.input.right.sphere == Diopters(thousandths: -3500))
        #expect(long.records.first?.input.right.sphere == Diopters(thousandths: -1250))
        #expect(long.summary.findings.contains { $0.message.contains("按“度”记录") })
        #expect(short.summary.findings.contains { $0.message.contains("按“度”记录") })
    }

    /// A device export: two header rows (merged 裸眼视力 / 屈光 over 右眼/左眼), decimal acuity,
    /// refraction in 度, a text acuity.
    @Test func twoRowHeaderDecimalAcuityAndDegrees() throws {
        let (records, summary) = try read(
            """
            某筛查平台导出,,,,,,,,
            学籍号,姓名,裸眼视力,,球镜,,柱镜,,戴镜类型
            ,,右眼,左眼,右眼,左眼,右眼,左眼,
            G001,王堃,0.9,1.0,-125,0,-50,-25,框架眼镜
            G002,陈镕,指数,0.5,-600,-575,-100,-75,0
            G003,张喆,1.2,1.5,+25,+50,0,0,不戴镜
            """)
        #expect(records.count == 3)
        let first = records[0].input
        #expect(first.right.acuity == .fivePoint(tenths: 49))  // 0.9 has no row: down to 4.9
        #expect(first.left.acuity == .fivePoint(tenths: 50))
        #expect(
            first.right.sphere == Diopters(thousandths: -1250) && first.right.cylinder == Diopters(thousandths: -500))
        #expect(first.glasses == .frame)
        #expect(records[1].input.right.acuity == .belowChart("指数"))
        #expect(records[1].input.left.acuity == .fivePoint(tenths: 47))
        #expect(summary.findings.contains { $0.message.contains("0.9") && $0.message.contains("4.9") && $0.row == 4 })
        #expect(summary.findings.contains { $0.message.contains("按“度”记录") })
        #expect(VisionClassifier().classify(first).myopic == true)
    }

    /// Three header rows: 屈光 / 右眼 / S C A, with OD/OS style markers on acuity.
    @Test func threeRowHeaderWithEyeMarkers() throws {
        let (records, _) = try read(
            """
            学籍号,姓名,性别,视力,,屈光,,,,,
            ,,,OD,OS,右眼,,,左眼,,
            ,,,,,S,C,A,S,C,A
            G001,王堃,男,4.6,4.7,-2.00,-0.50,90,-1.75,-0.25,85
            """)
        let input = try #require(records.first?.input)
        #expect(input.right.acuity == .fivePoint(tenths: 46) && input.left.acuity == .fivePoint(tenths: 47))
        #expect(
            input.right.sphere == Diopters(thousandths: -2000) && input.left.cylinder == Diopters(thousandths: -250)
                && input.left.axis == 85)
    }

    @Test func monitoringVariableNames() throws {
        let (records, _) = try read(
            "学籍号,VISIONR,VISIONL,SPHERR,SPHERL,CYLINR,CYLINL,GLASSTYPE\nG1,4.9,5.0,-1.00,0.00,0,0,1\n")
        let input = try #require(records.first?.input)
        #expect(
            input.right.acuity == .fivePoint(tenths: 49) && input.right.sphere == Diopters(thousandths: -1000)
                && input.glasses == .frame)
    }

    @Test func badValuesAreFindingsWithPlaces() throws {
        let (records, summary) = try read(
            """
            学籍号,姓名,右眼裸眼视力,左眼裸眼视力,右眼球镜,左眼球镜
            G1,甲,6.2,5.0,-1.25,0
            G2,乙,5.0,5.0,-45.00,0
            G3,丙,abc,5.0,-0.50,0
            G4,丁,5.0,5.0,0,0
            """)
        #expect(records.map(\.student.studentNo) == ["G4"])
        let errors = summary.findings.filter { $0.severity == .error }
        #expect(errors.map(\.row) == [2, 3, 4])
        #expect(errors[0].column == "右眼裸眼视力" && errors[0].value == "6.2")
    }

    @Test func noVisionColumnsIsOneFinding() throws {
        let (_, summary) = try read("学籍号,姓名,身高\nG1,甲,120\n")
        #expect(summary.findings.count == 1 && summary.findings[0].message.contains("视力"))
    }
}
