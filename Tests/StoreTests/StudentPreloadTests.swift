import Foundation
import GRDB
import Ingest
import Standards
import Testing

@testable import Imports
@testable import Store

/// A large result file looks students up in memory (`preloadStudents`); the answers must be the
/// queries' answers.
@Suite struct StudentPreloadTests {
    func record(_ number: String?, _ name: String, birth: CalendarDate? = "2019-03-04") -> StudentRecord {
        StudentRecord(
            row: 2, studentNo: number, name: name, sex: .male, birthDate: birth, ethnicity: nil, school: nil,
            grade: nil, className: nil)
    }

    /// Runs the same lookups with and without the preload, each in a transaction rolled back.
    func lookups(preload: Bool) throws -> [Int64?] {
        let (database, folder) = try freshDatabase()
        try write(rosterCSV, to: folder.appendingPathComponent("r.csv"))
        _ = try RosterImporter(database: database).importFile(folder.appendingPathComponent("r.csv"), term: term)
        return try database.pool.write { db in
            let schoolID = try #require(try Int64.fetchOne(db, sql: "SELECT id FROM school WHERE name = '实验小学'"))
            let directory = try StudentDirectory(db: db, batch: 1)
            if preload { try directory.preloadStudents() }
            var answers: [Int64?] = []
            // by number
            answers.append(try directory.matchStudentRecordingNumber(record("G001", "王堃"), schoolID: schoolID))
            // claims the unnumbered student
            answers.append(
                try directory.matchStudentRecordingNumber(
                    record("G999", "李无号", birth: "2018-07-08"), schoolID: schoolID))
            // now known by the new number
            answers.append(try directory.matchStudentRecordingNumber(record("G999", "别人"), schoolID: schoolID))
            // a number nobody has: no match (王堃 has one)
            answers.append(try directory.matchStudentRecordingNumber(record("G777", "王堃"), schoolID: schoolID))
            // already claimed
            answers.append(
                try directory.matchStudentRecordingNumber(record("G778", "李无号", birth: "2018-07-08"), schoolID: nil))
            let added = try directory.addStudentFromResult(record("G500", "新生"), schoolID: schoolID)
            answers.append(
                try directory.matchStudentRecordingNumber(record("G500", "新生"), schoolID: nil) == added ? added : -1)
            return answers
        }
    }

    @Test func memoryAnswersAsTheQueriesDo() throws {
        let fromQueries = try lookups(preload: false)
        let fromMemory = try lookups(preload: true)
        #expect(fromMemory == fromQueries)
        #expect(fromQueries[0] != nil && fromQueries[1] != nil && fromQueries[2] == fromQueries[1])
        #expect(fromQueries[3] == nil && fromQueries[4] == nil)
    }

    @Test func aLargeFileUsesThePreloadAndImportsTheSame() throws {
        // 12,000 rows (> 1 MB) of a vision file: the preload path, twice (insert-first, then versioned).
        let (database, folder) = try freshDatabase()
        var text =
            "年级编号,班级编号,班级名称,学籍号,民族代码,姓名,性别,出生日期,家庭住址,右眼裸眼视力,左眼裸眼视力,右眼屈光球镜S,右眼屈光柱镜C,右眼屈光轴位A,左眼屈光球镜S,左眼屈光柱镜C,左眼屈光轴位A,是否为角膜塑形镜（OK镜）佩戴者,学校名称,备注\n"
        for i in 0..<12_000 {
            text +=
                "14,1401,1班,G\(100_000 + i),1,学生\(i),1,2015/3/4,山东省示例县某某街道某某小区\(i)号,5.0,4.9,-0.25,0,,-0.75,-0.50,90,否,实验小学,无\n"
        }
        text += "14,1401,1班,G100000,1,学生0,1,2015/3/4,,4.8,4.8,-1.25,0,,-1.25,0,,否,实验小学,重复行\n"
        let url = folder.appendingPathComponent("vision.csv")
        try write(text, to: url)
        #expect(try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int ?? 0 > 1 << 20)
        // This file takes the preload path; a small one does not.
        let small = folder.appendingPathComponent("small.csv")
        try write(String(text.prefix(2_000)), to: small)
        let paths = try database.pool.write { db -> [Bool] in
            try [url, small].map { file in
                let directory = try StudentDirectory(db: db, batch: 0)
                _ = try ResultStudentResolver(directory: directory, term: term, defaultSchool: nil, file: file)
                return directory.isPreloaded
            }
        }
        #expect(paths == [true, false])
        let first = try VisionImporter(database: database).importFile(url, term: term)
        // The repeated student is a finding of the reader or an update of the row, never a crash.
        #expect(first.counts.accepted + first.counts.rejected == 12_001)
        let stored = try database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM vision_screening") }
        #expect(stored == 12_000)
        let students = try database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM student") }
        #expect(students == 12_000)
        try write(text.replacingOccurrences(of: "山东省", with: "山东"), to: url)  // same rows, another file
        let second = try VisionImporter(database: database).importFile(url, term: term)
        #expect(second.counts.inserted == 0 && second.counts.updated <= 1)
    }
}
