import Foundation
import GRDB
import Imports
import Standards
import Store
import Testing

/// A blank cell never erases a stored result: a partial or older file for students with results
/// leaves them as they were and says which measurements it left blank, while a file that changes
/// values, an exemption, or an acuity typed as a text below the chart still updates.
@Suite struct BlankCellTests {
    let scorer = try! FitnessScorer.bundled()
    static let fitnessHeader = "学籍号,姓名,性别,年级编号,身高,体重,肺活量,50米跑,坐位体前屈,一分钟跳绳\n"
    static let visionHeader = "学籍号,姓名,性别,年级编号,右眼裸眼视力,左眼裸眼视力,右眼屈光球镜S,右眼屈光柱镜C,右眼屈光轴位A,左眼屈光球镜S,左眼屈光柱镜C,左眼屈光轴位A\n"

    func importFitness(_ rows: String, into database: JianceDatabase, folder: URL, name: String) throws
        -> ImportOutcome
    {
        try write(Self.fitnessHeader + rows, to: folder.appendingPathComponent(name))
        return try FitnessImporter(database: database, scorer: scorer).importFile(
            folder.appendingPathComponent(name), term: term, defaultSchool: "实验小学")
    }

    func importVision(_ rows: String, into database: JianceDatabase, folder: URL, name: String) throws
        -> ImportOutcome
    {
        try write(Self.visionHeader + rows, to: folder.appendingPathComponent(name))
        return try VisionImporter(database: database).importFile(
            folder.appendingPathComponent(name), term: term, defaultSchool: "实验小学")
    }

    @Test func aPartialFitnessFileLeavesStoredResults() throws {
        let (database, folder) = try databaseWithRoster()
        let full = try importFitness(
            "G001,王堃,1,11,120,22,1250,10.9,12.5,115\nG002,陈镕,2,11,118,21,1000,11.0,14.0,100\n", into: database,
            folder: folder, name: "full.csv")
        #expect(full.counts.inserted == 2)
        let before = try snapshot(database, tables: dataTables)

        // A makeup file with one item: G001's other items would be erased, so the row is refused.
        let partial = try importFitness(
            "G001,王堃,1,11,,,,9.8,,\n", into: database, folder: folder, name: "partial.csv")
        #expect(partial.counts.rejected == 1 && partial.counts.updated == 0, "\(partial.counts)")
        let finding = try #require(partial.findings.first { $0.message.contains("未用空白覆盖") })
        #expect(finding.severity == .error && finding.row == 2)
        #expect(finding.message.contains("身高、体重、肺活量、坐位体前屈、1分钟跳绳为空"))
        #expect(!finding.message.contains("50米跑"))
        // The row was not stored: the scorer's remarks on it (缺少必测项目) are not reported.
        #expect(!partial.findings.contains { $0.message.contains("缺少必测项目") }, "\(partial.findings)")
        #expect(try snapshot(database, tables: dataTables) == before)

        // Every value given, one of them changed: updated, with history.
        let corrected = try importFitness(
            "G001,王堃,1,11,120,22,1250,9.8,12.5,115\n", into: database, folder: folder, name: "corrected.csv")
        #expect(corrected.counts.updated == 1 && corrected.counts.rejected == 0)
        let run50m = try database.read { db in
            try Double.fetchOne(db, sql: "SELECT run_50m FROM fitness_result WHERE student_id = 1")
        }
        #expect(run50m == 9.8)

        // A student now exempt has no measurement by right: the exemption replaces them.
        try write(
            "学籍号,姓名,性别,年级编号,身高,体重,免测\nG002,陈镕,2,11,,,是\n", to: folder.appendingPathComponent("exempt.csv"))
        let exempt = try FitnessImporter(database: database, scorer: scorer).importFile(
            folder.appendingPathComponent("exempt.csv"), term: term, defaultSchool: "实验小学")
        #expect(exempt.counts.updated == 1 && exempt.counts.rejected == 0, "\(exempt.findings)")
    }

    @Test func aVisionFileWithoutRefractionLeavesStoredRefraction() throws {
        let (database, folder) = try databaseWithRoster()
        let full = try importVision(
            "G001,王堃,1,11,4.8,4.9,-1.25,-0.50,180,-0.75,0,0\n", into: database, folder: folder, name: "v.csv")
        #expect(full.counts.inserted == 1)
        let before = try snapshot(database, tables: dataTables)

        let withoutRefraction = try importVision(
            "G001,王堃,1,11,4.8,4.9,,,,,,\n", into: database, folder: folder, name: "v2.csv")
        #expect(withoutRefraction.counts.rejected == 1, "\(withoutRefraction.counts)")
        let finding = try #require(withoutRefraction.findings.first { $0.message.contains("未用空白覆盖") })
        #expect(finding.message.contains("右眼球镜、右眼柱镜、右眼轴位、左眼球镜、左眼柱镜、左眼轴位为空"))
        #expect(try snapshot(database, tables: dataTables) == before)

        // The right eye's acuity now typed as a text below the chart: a change, not a blank.
        let belowChart = try importVision(
            "G001,王堃,1,11,指数,4.9,-1.25,-0.50,180,-0.75,0,0\n", into: database, folder: folder, name: "v3.csv")
        #expect(belowChart.counts.updated == 1 && belowChart.counts.rejected == 0, "\(belowChart.findings)")
    }
}
