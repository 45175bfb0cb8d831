import Foundation
import GRDB
import Ingest
import Store
import TestSupport
import Testing

/// The ordinary mistakes of bureau staff and teachers, on the built binary with a sample county:
/// none loses or leaks anything, each ends with a Chinese finding that says what to do, and exit
/// code 1 where the input was wrong.
@Suite(.serialized) struct DataSafetyTests {
    static let term = "2025-2026-1"

    /// A sample county with this term's rosters, fitness, vision and PHQ-9 results imported.
    func county() throws -> URL {
        let folder = try temporaryFolder()
        #expect(try Jiance.run(["samples", "--students", "600", "--seed", "4", "--out", "s"], in: folder).status == 0)
        let rosters = try files("s/roster", in: folder)
        _ = try Jiance.run(["import", "roster", "s/学校名单.xlsx"] + rosters + ["--term", Self.term], in: folder)
        _ = try Jiance.run(["import", "fitness"] + files("s/fitness", in: folder) + ["--term", Self.term], in: folder)
        _ = try Jiance.run(
            ["import", "vision"] + files("s/vision/\(Self.term)", in: folder) + ["--term", Self.term], in: folder)
        _ = try Jiance.run(
            ["import", "psych", "s/psych/心理筛查_PHQ9_\(Self.term).xlsx", "--scale", "phq9", "--term", Self.term],
            in: folder)
        return folder
    }

    func files(_ path: String, in folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent(path).path).sorted().map {
            "\(path)/\($0)"
        }
    }

    /// Everything the county report says, to compare before and after a mistake.
    func report(_ folder: URL) throws -> String {
        let result = try Jiance.run(["report", "--term", Self.term, "--format", "json"], in: folder)
        #expect(result.status == 0, "\(result.error)")
        return result.output
    }

    @Test func aFileGivenToTheWrongImporterIsRefusedWhole() throws {
        let folder = try county()
        let before = try report(folder)
        let vision = try Jiance.run(
            ["import", "fitness", "s/vision/\(Self.term)/视力筛查_石桥乡小学.xlsx", "--term", Self.term], in: folder)
        #expect(vision.status == 1)
        #expect(
            vision.output.contains("这像是视力筛查表，请用 jiance import vision 导入") && vision.output.contains("整个文件未导入"),
            "\(vision.output)")
        let roster = try Jiance.run(["import", "fitness", "s/roster/学籍名册_石桥乡小学.xlsx", "--term", Self.term], in: folder)
        #expect(roster.status == 1 && roster.output.contains("请用 jiance import roster"), "\(roster.output)")
        let fitness = try Jiance.run(
            ["import", "roster", "s/fitness/体测成绩_石桥乡小学.xlsx", "--term", Self.term], in: folder)
        #expect(fitness.status == 1 && fitness.output.contains("请用 jiance import fitness"), "\(fitness.output)")
        // The resources return names every school with its 学段, as a school list does.
        let resources = try #require(
            try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("s/resources").path)
                .first { $0.hasPrefix("学校办学条件") })
        let schoolsBefore = try Jiance.run(["batches", "--term", Self.term], in: folder).output
        let notRoster = try Jiance.run(
            ["import", "roster", "s/resources/\(resources)", "--term", Self.term], in: folder)
        #expect(
            notRoster.status == 1 && notRoster.output.contains("这像是学校办学条件表，请用 jiance import resources 导入"),
            "\(notRoster.output)")
        #expect(try Jiance.run(["batches", "--term", Self.term], in: folder).output == schoolsBefore)
        // A roster is no score sheet: one finding that names the right command, not one per row.
        let notScores = try Jiance.run(
            ["import", "academic", "s/roster/学籍名册_石桥乡小学.xlsx", "--exam", "期中考试", "--term", Self.term],
            in: folder)
        #expect(notScores.status == 1 && notScores.output.contains("请用 jiance import roster"), "\(notScores.output)")
        #expect(notScores.output.contains("发现 1 个错误"), "\(notScores.output)")
        #expect(try report(folder) == before)
        // The right file afterwards is still known: nothing was stored by the refusals.
        let again = try Jiance.run(["import", "fitness", "s/fitness/体测成绩_石桥乡小学.xlsx", "--term", Self.term], in: folder)
        #expect(again.output.contains("已在批次") && again.output.contains("没有任何变化"), "\(again.output)")
    }

    @Test func aPsychSheetUnderTheWrongScaleIsRefused() throws {
        let folder = try county()
        let before = try report(folder)
        let result = try Jiance.run(
            ["import", "psych", "s/psych/心理筛查_PHQ9_\(Self.term).xlsx", "--scale", "gad7", "--term", Self.term],
            in: folder)
        #expect(result.status == 1)
        #expect(result.output.contains("表中有 9 道题") && result.output.contains("--scale phq9"), "\(result.output)")
        #expect(try report(folder) == before)
    }

    /// `jiance batches N` lists one batch's findings as the import printed them; a psychological
    /// screening's findings name students of a confidential file, so showing them is audited.
    @Test func aBatchShowsItsFindings() throws {
        let folder = try county()
        let fitness = try Jiance.run(
            ["import", "fitness", "s/fitness-2024-2025-1/体测成绩_石桥乡小学.xlsx", "--term", Self.term], in: folder)
        let batch = try #require(fitness.output.firstMatch(of: /批次 (\d+)/).map { String($0.output.1) })
        let shown = try Jiance.run(["batches", batch], in: folder)
        #expect(shown.status == 0 && shown.output.hasPrefix("批次 \(batch)："), "\(shown.output)")
        let printed = fitness.output.split(separator: "\n").filter { $0.hasPrefix("  ") }
        #expect(!printed.isEmpty && printed.allSatisfy { shown.output.contains($0) }, "\(shown.output)")

        let psych = try Jiance.run(
            ["import", "psych", "s/psych/心理筛查_PHQ9_\(Self.term).xlsx", "--scale", "phq9", "--term", Self.term],
            in: folder)
        let psychBatch = try #require(psych.output.firstMatch(of: /批次 (\d+)/).map { String($0.output.1) })
        #expect(try Jiance.run(["batches", psychBatch], in: folder).status == 0)
        let audit = try JianceDatabase(path: folder.appendingPathComponent("jiance.sqlite").path)
        #expect(
            try AuditLog.entries(audit).contains {
                $0.action == "view-psych-findings" && $0.target == "batch \(psychBatch)"
            })
        #expect(try AuditLog.entries(audit).filter { $0.action == "view-psych-findings" }.count == 1)

        let missing = try Jiance.run(["batches", "99999"], in: folder)
        #expect(missing.status == 1 && missing.error.contains("没有批次 99999"), "\(missing.error)")
    }

    /// A county where one school of several has reported: the county's 在籍 and 建档率 count every
    /// school on the roll (the same 在籍 as once all have reported), and the report names the
    /// schools not yet reported.
    @Test func aCountyWithOneSchoolReportedCountsEveryEnrolledStudent() throws {
        let folder = try temporaryFolder()
        #expect(try Jiance.run(["samples", "--students", "600", "--seed", "4", "--out", "s"], in: folder).status == 0)
        _ = try Jiance.run(
            ["import", "roster", "s/学校名单.xlsx"] + files("s/roster", in: folder) + ["--term", Self.term], in: folder)
        let fitness = try files("s/fitness", in: folder)
        let vision = try files("s/vision/\(Self.term)", in: folder)
        _ = try Jiance.run(["import", "fitness", fitness[0], "--term", Self.term], in: folder)
        _ = try Jiance.run(["import", "vision", vision[0], "--term", Self.term], in: folder)
        func county(_ kind: String) throws -> [String: Any] {
            let json = try JSONSerialization.jsonObject(with: Data(try report(folder).utf8)) as? [String: Any]
            return try #require((json?[kind] as? [String: Any])?["county"] as? [String: Any])
        }
        let oneFitness = try county("fitness")
        let oneVision = try county("vision")
        let text = try Jiance.run(["report", "--term", Self.term], in: folder).output
        #expect(text.contains("本学期尚未导入体测成绩的学校（\(fitness.count - 1) 所"), "\(text)")
        #expect(text.contains("本学期尚未导入视力筛查（初筛）的学校（\(vision.count - 1) 所"), "\(text)")

        _ = try Jiance.run(["import", "fitness"] + fitness.dropFirst() + ["--term", Self.term], in: folder)
        let allFitness = try county("fitness")
        #expect(oneFitness["enrolled"] as? Int == allFitness["enrolled"] as? Int)
        #expect((oneFitness["tested"] as? Int ?? 0) < (allFitness["tested"] as? Int ?? 0))
        #expect(oneVision["enrolled"] as? Int == allFitness["enrolled"] as? Int)
        let coverage = try #require(oneVision["coverage"] as? Double)
        #expect(coverage > 0 && coverage < 0.5, "\(oneVision)")
        #expect(!(try Jiance.run(["report", "--term", Self.term], in: folder).output.contains("尚未导入体测成绩")))
    }

    /// Last year's file imported into this term by mistake: `jiance undo` brings the school back
    /// exactly; the same file can then be imported again; an undo that would lose a later
    /// import's changes is refused.
    @Test func undoBringsASchoolBack() throws {
        let folder = try county()
        let before = try report(folder)
        let wrong = try Jiance.run(
            ["import", "fitness", "s/fitness-2024-2025-1/体测成绩_石桥乡小学.xlsx", "--term", Self.term], in: folder)
        let batch = try #require(wrong.output.firstMatch(of: /批次 (\d+)/).map { String($0.output.1) }, "\(wrong.output)")
        #expect(try report(folder) != before)
        let listed = try Jiance.run(["batches", "--school", "石桥乡小学", "--term", Self.term], in: folder)
        #expect(listed.status == 0 && listed.output.contains("\n\(batch)\t"), "\(listed.output)")

        let undone = try Jiance.run(["undo", batch], in: folder)
        #expect(undone.status == 0 && undone.output.contains("已撤销批次 \(batch)"), "\(undone.output)\(undone.error)")
        #expect(try report(folder) == before)
        #expect(try Jiance.run(["undo", batch], in: folder).error.contains("已在批次"))

        // Imported again after the undo, then overwritten by the right file: undoing the first
        // now would lose the second's changes. The right file leaves blank some measurements the
        // wrong one has (students absent from an item), and those rows keep the wrong values:
        // the undo, forced, brings the school back.
        let again = try Jiance.run(
            ["import", "fitness", "s/fitness-2024-2025-1/体测成绩_石桥乡小学.xlsx", "--term", Self.term], in: folder)
        let second = try #require(
            again.output.firstMatch(of: /批次 (\d+)/).map { String($0.output.1) }, "\(again.output)")
        let right = try Jiance.run(["import", "fitness", "s/fitness/体测成绩_石桥乡小学.xlsx", "--term", Self.term], in: folder)
        #expect(right.output.contains("更新"), "\(right.output)")
        let refused = try Jiance.run(["undo", second], in: folder)
        #expect(refused.status == 1 && refused.error.contains("--force"), "\(refused.error)")
        let forced = try Jiance.run(["undo", second, "--force"], in: folder)
        #expect(forced.status == 0, "\(forced.error)")
        #expect(try report(folder) == before)
    }

    @Test func exportsReplaceLinksAndNeverWriteOutsideTheFolder() throws {
        let folder = try county()
        let out = folder.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let victim = folder.appendingPathComponent("victim.txt")
        try Data("victim".utf8).write(to: victim)
        let ledger = out.appendingPathComponent("学校台账_石桥乡小学_\(Self.term).xlsx")
        try FileManager.default.createSymbolicLink(at: ledger, withDestinationURL: victim)
        let countyFile = out.appendingPathComponent("县级汇总与自评_\(Self.term).xlsx")
        try FileManager.default.createSymbolicLink(atPath: countyFile.path, withDestinationPath: "../outside.xlsx")

        #expect(try Jiance.run(["export", "ledgers", "--school", "石桥乡小学", "--out", "out"], in: folder).status == 0)
        #expect(try Jiance.run(["export", "county", "--out", "out"], in: folder).status == 0)
        #expect(try String(contentsOf: victim, encoding: .utf8) == "victim")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("outside.xlsx").path))
        for file in [ledger, countyFile] {
            #expect(
                try FileManager.default.attributesOfItem(atPath: file.path)[.type] as? FileAttributeType == .typeRegular
            )
            #expect(try !openTables(at: file).isEmpty)
        }
        // No temporary file is left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).allSatisfy { !$0.hasPrefix(".") })
    }

    /// With two terms of psychological screening the school ledger has a 趋势 sheet; neither it
    /// nor any other sheet of the general ledger carries a psychological figure.
    @Test func generalLedgersCarryNoPsychologicalFigure() throws {
        let folder = try county()
        let earlier = "2024-2025-1"
        _ = try Jiance.run(
            ["import", "roster"] + files("s/roster-\(earlier)", in: folder) + ["--term", earlier], in: folder)
        _ = try Jiance.run(
            ["import", "fitness"] + files("s/fitness-\(earlier)", in: folder) + ["--term", earlier], in: folder)
        _ = try Jiance.run(
            ["import", "psych", "s/psych-\(earlier)/心理筛查_PHQ9_\(earlier).xlsx", "--scale", "phq9", "--term", earlier],
            in: folder)
        #expect(try Jiance.run(["export", "ledgers", "--out", "out"], in: folder).status == 0)
        var trendSheets = 0
        for file in try files("out", in: folder) {
            for table in try openTables(at: folder.appendingPathComponent(file)) {
                if table.sheetName == "趋势" { trendSheets += 1 }
                try table.forEachRow { row in
                    #expect(
                        !row.cells.contains { $0.contains("心理筛查") || $0.contains("心理健康") || $0.contains("预警") },
                        "\(file) \(table.sheetName ?? "") \(row.cells)")
                    return true
                }
            }
        }
        #expect(trendSheets == 8)
    }

    /// A 300-character school name and control characters in names are refused at import with a
    /// finding; exports then work and list every workbook written; no raw ESC reaches the terminal.
    @Test func namesThatWouldBreakFilesAreRefused() throws {
        let folder = try temporaryFolder()
        let long = String(repeating: "长", count: 300)
        let roster =
            "学籍号,姓名,性别,出生日期,学校,年级,班级\nG1,甲,男,2015-03-04,\(long),四年级,1班\nG2,乙,女,2015-03-04,实验\u{1B}[31m小学,四年级,1班\nG3,丙,女,2015-03-04,实验小学,四年级,1\t班\nG4,丁,男,2015-03-04,实验小学,四年级,2班\n"
        try Data(roster.utf8).write(to: folder.appendingPathComponent("名册.csv"))
        let imported = try Jiance.run(["import", "roster", "名册.csv", "--term", Self.term], in: folder)
        #expect(imported.status == 1)
        #expect(imported.output.contains("学校名称超过 50 个字") && imported.output.contains("控制字符"), "\(imported.output)")
        // The TAB inside 1\t班 is spacing the class name normaliser removes (→ 1班).
        #expect(!imported.output.contains("\u{1B}") && imported.output.contains("接受 2 行"), "\(imported.output)")
        let exported = try Jiance.run(["export", "ledgers", "--out", "out"], in: folder)
        #expect(
            exported.status == 0 && exported.output.contains("已写入") && !exported.output.contains("\u{1B}"),
            "\(exported.output)\(exported.error)")
        #expect(try files("out", in: folder) == ["out/学校台账_实验小学_\(Self.term).xlsx"])
    }

    /// One school's ledger cannot be saved (a folder has its name): the other seven are written
    /// and listed, the failure is named in Chinese, exit code 1.
    @Test func aLedgerThatCannotBeWrittenDoesNotHideTheOthers() throws {
        let folder = try county()
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("out/学校台账_石桥乡小学_\(Self.term).xlsx"), withIntermediateDirectories: true)
        let result = try Jiance.run(["export", "ledgers", "--out", "out"], in: folder)
        #expect(result.status == 1)
        #expect(result.output.components(separatedBy: "已写入").count - 1 == 7, "\(result.output)")
        #expect(
            result.error.contains("石桥乡小学") && result.error.contains("无法保存为") && result.error.contains("已有同名文件夹"),
            "\(result.error)")
    }

    /// The counsellor fills the yellow cells of the exported crisis ledger for every red and
    /// orange case (reviewed the day it was found): each review arrives, and 红橙按时复核 counts them.
    @Test func theCrisisLedgerRoundTripKeepsTheSchoolsReview() throws {
        let folder = try county()
        func psychSchools() throws -> [[String: Any]] {
            let report = try JSONSerialization.jsonObject(with: Data(try report(folder).utf8)) as? [String: Any]
            return try #require((report?["psych"] as? [String: Any])?["schools"] as? [[String: Any]])
        }
        // The school with the most red and orange cases, none reviewed yet.
        let chosen = try #require(
            try psychSchools().max { ($0["urgent_cases"] as? Int ?? 0) < ($1["urgent_cases"] as? Int ?? 0) })
        let name = try #require(chosen["name"] as? String)
        let urgent = try #require(chosen["urgent_cases"] as? Int)
        #expect(urgent >= 2 && chosen["urgent_reviewed_in_time"] as? Int == 0)
        let exported = try Jiance.run(["export", "psych", "--school", name, "--out", "out"], in: folder)
        let ledger = try #require(try files("out", in: folder).first { $0.contains("心理台账") }, "\(exported.output)")
        let url = folder.appendingPathComponent(ledger)
        let sheet = try sheetRows(url, "心理危机干预台账")
        let header = sheet[2].cells
        func column(_ label: String) throws -> Int { try #require(header.firstIndex(of: label)) }
        let proposed = try column("筛查建议等级")
        let found = try column("发现日期")
        var edits: [(row: Int, column: Int, value: WorkbookEdit.Value)] = []
        // 筛查建议等级 reads 红（一级）; 确认等级 is chosen from 红/橙/黄/观察/无风险.
        for (index, row) in sheet.enumerated()
        where index > 2 && (row[proposed].hasPrefix("红") || row[proposed].hasPrefix("橙")) {
            edits += [
                (index, try column("复核日期"), .typed(row[found])),
                (index, try column("确认等级"), .typed(String(row[proposed].prefix(1)))),
                (index, try column("复核人"), .typed("李老师")),
            ]
        }
        #expect(edits.count == 3 * urgent)
        try WorkbookEdit(url: url).fill(sheet: "心理危机干预台账", edits)
        let imported = try Jiance.run(["import", "followup", ledger, "--term", Self.term], in: folder)
        #expect(imported.status == 0 && imported.output.contains("更新 \(urgent)"), "\(imported.output)")
        let after = try #require(try psychSchools().first { $0["name"] as? String == name })
        #expect(after["urgent_reviewed_in_time"] as? Int == urgent, "\(after)")
    }

    /// The school ledger's follow-up sheets through the command line: a value typed wrong exits
    /// 1 and stores nothing; the corrected copy is stored; the old copy sent back later is refused.
    @Test func schoolLedgerRoundTripThroughTheCommandLine() throws {
        let folder = try county()
        #expect(try Jiance.run(["export", "ledgers", "--school", "石桥乡小学", "--out", "out"], in: folder).status == 0)
        let ledger = "out/学校台账_石桥乡小学_\(Self.term).xlsx"
        let url = folder.appendingPathComponent(ledger)
        let header = try sheetRows(url, "肥胖学生台账")[2].cells
        func column(_ label: String) throws -> Int { try #require(header.firstIndex(of: label)) }
        let original = folder.appendingPathComponent("original.xlsx")
        try FileManager.default.copyItem(at: url, to: original)

        try WorkbookEdit(url: url).fill(
            sheet: "肥胖学生台账", [(3, try column("干预措施"), .typed("运动处方")), (3, try column("复测体重(kg)"), .typed("33kg"))])
        let wrong = try Jiance.run(["import", "followup", ledger, "--term", Self.term], in: folder)
        #expect(wrong.status == 1 && wrong.output.contains("复测体重(kg)应为 14–200 之间的数字"), "\(wrong.output)")
        try WorkbookEdit(url: url).fill(sheet: "肥胖学生台账", [(3, try column("复测体重(kg)"), .typed("41.5"))])
        let right = try Jiance.run(["import", "followup", ledger, "--term", Self.term], in: folder)
        #expect(right.status == 0 && right.output.contains("新增 1"), "\(right.output)")

        try WorkbookEdit(url: original).fill(sheet: "肥胖学生台账", [(3, try column("干预措施"), .typed("膳食指导"))])
        let old = try Jiance.run(["import", "followup", "original.xlsx", "--term", Self.term], in: folder)
        #expect(old.status == 1 && old.output.contains("此行比数据库中的记录旧"), "\(old.output)")
        // The fitness batch the answers belong to cannot be undone silently.
        let batches = try Jiance.run(["batches", "--school", "石桥乡小学", "--term", Self.term], in: folder).output
        #expect(batches.contains("\t跟踪台账\t"), "\(batches)")
        let fitnessBatch = try #require(
            batches.split(separator: "\n").first { $0.contains("\t体测\t") }?.split(separator: "\t").first.map(
                String.init))
        let undo = try Jiance.run(["undo", fitnessBatch], in: folder)
        #expect(undo.status == 1 && undo.error.contains("已有学校报回的跟踪台账"), "\(undo.error)")
        let wrongTerm = try Jiance.run(["import", "followup", ledger, "--term", "2019-2020-1"], in: folder)
        #expect(wrongTerm.status == 1 && wrongTerm.output.contains("请用 --term \(Self.term) 导入"), "\(wrongTerm.output)")
    }

    /// Mistakes a newcomer made on the sample county: a misspelled --school on import creates
    /// nothing and names the school meant; undoing a roster that later results depend on is
    /// refused; the same file again exits 0 and says why nothing changed; batches read in Chinese.
    @Test func newcomersMistakes() throws {
        let folder = try county()
        let schools = try report(folder)
        let typo = try Jiance.run(
            ["import", "fitness", "s/fitness/体测成绩_石桥乡小学.xlsx", "--term", Self.term, "--school", "石桥乡小校"], in: folder)
        #expect(typo.status == 1 && typo.error.contains("相近的有：石桥乡小学"), "\(typo.output)\(typo.error)")
        #expect(try report(folder) == schools)

        let listed = try Jiance.run(["batches", "--school", "石桥乡小学", "--term", Self.term], in: folder)
        #expect(
            listed.output.contains("\t名册\t") && listed.output.contains("\t体测\t") && listed.output.contains("视力（初筛）"),
            "\(listed.output)")
        let roster = try #require(
            listed.output.split(separator: "\n").first { $0.contains("\t名册\t") }?.split(separator: "\t").first.map(
                String.init))
        let refused = try Jiance.run(["undo", roster], in: folder)
        #expect(refused.status == 1 && refused.error.contains("撤销名册会使覆盖率、建档率失真"), "\(refused.error)")

        // The samples' fitness files hold rows rejected on purpose: a second import changes
        // nothing, exits 0 and says the earlier batch rejected rows.
        let again = try Jiance.run(
            ["import", "fitness", "s/fitness/体测成绩_青山九年一贯制学校.xlsx", "--term", Self.term], in: folder)
        #expect(again.status == 0 && again.output.contains("该批次当时拒绝了"), "\(again.output)")

        // A mistyped command or kind names the one meant; a folder is named as a folder.
        let command = try Jiance.run(["improt", "fitness", "x.csv"], in: folder)
        #expect(command.status == 2 && command.error.contains("没有命令“improt”；是否想用 import？"), "\(command.error)")
        let kind = try Jiance.run(["import", "fitnes", "x.csv", "--term", Self.term], in: folder)
        #expect(kind.status == 2 && kind.error.contains("是否想用 fitness？"), "\(kind.error)")
        let folderGiven = try Jiance.run(["import", "fitness", "s/fitness", "--term", Self.term], in: folder)
        #expect(folderGiven.status == 1 && folderGiven.output.contains("这是一个文件夹"), "\(folderGiven.output)")
    }

    /// `jiance record`: one student's record, masked by default; the named view is audited; no
    /// psychological word in it, although the student was screened.
    @Test func aStudentsRecordIsMaskedAuditedAndHasNoPsychologicalData() throws {
        let folder = try county()
        let path = folder.appendingPathComponent("jiance.sqlite").path
        let studentNo = try #require(
            try JianceDatabase(path: path).read { db in
                try String.fetchOne(
                    db,
                    sql: """
                        SELECT s.student_no FROM student s JOIN fitness_result f ON f.student_id = s.id
                        JOIN psych_screening p ON p.student_id = s.id LIMIT 1
                        """)
            })
        let masked = try Jiance.run(["record", studentNo], in: folder)
        #expect(
            masked.status == 0 && masked.output.contains("学生健康档案") && !masked.output.contains(studentNo),
            "\(masked.output)")
        #expect(masked.output.contains("学年总分") && masked.output.contains("视力筛查"))
        let json = try Jiance.run(["record", studentNo, "--format", "json", "--named"], in: folder)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        #expect(document["student_no"] as? String == studentNo && document["masked"] as? Bool == false)
        for text in [masked.output, json.output] {
            #expect(!["心理", "PHQ", "phq", "预警", "risk"].contains(where: text.contains), "\(text)")
        }
        let audit = try AuditLog.entries(JianceDatabase(path: path))
        #expect(audit.contains { $0.action == "view-named-record" && $0.target == studentNo })
        let unknown = try Jiance.run(["record", "G404"], in: folder)
        #expect(unknown.status == 1 && unknown.error.contains("没有学籍号为“G404”的学生"))
        // Typed in full-width characters, or in lower case, the number still finds the student.
        let fullWidth = String(
            String.UnicodeScalarView(
                studentNo.lowercased().unicodeScalars.map { $0.isASCII ? Unicode.Scalar($0.value + 0xFEE0)! : $0 }))
        let typed = try Jiance.run(["record", fullWidth, "--format", "json", "--named"], in: folder)
        #expect(typed.status == 0 && typed.output == json.output, "\(typed.error)")
    }
}
