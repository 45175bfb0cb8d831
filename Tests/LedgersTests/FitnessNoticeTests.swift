import Foundation
import Indicators
import Ledgers
import Reports
import Services
import Standards
import Store
import TestSupport
import Testing

/// 体质健康测试结果告知书 on the results of FitnessLedgerTests: G001 优秀 (90.40), G002 不及格 and
/// obese (坐位体前屈 −2.0 cm scores 0, 肺活量 520 ml scores 20: her weakest items), G003
/// incomplete, G004 免测.
@Suite struct FitnessNoticeTests {
    let term = Term("2025-2026-1")!

    @Test func oneNamedPagePerTestedStudentWithAdviceForTheWeakestItemsAndBMI() throws {
        let (database, folder) = try FitnessLedgerTests().database()
        let (url, count) = try ExportService(database: database).exportFitnessNotices(
            school: "实验小学", className: "一年级1班", term: term, to: folder, date: "2025-11-01")
        #expect(count == 4)
        #expect(
            (try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? NSNumber)?.intValue
                == 0o600)
        #expect(
            try AuditLog.entries(database).contains {
                $0.action == "export-fitness-notices" && $0.target == url.lastPathComponent && $0.detail.contains("4 份")
            })
        let lines = try sheetRows(url, "一年级 1班").map { $0.cells.joined(separator: "|") }
        func page(of name: String) throws -> String {
            let start = try #require(lines.firstIndex { $0.contains("尊敬的 \(name) 同学家长") })
            let end = try #require(lines[start...].firstIndex { $0.contains("家长签字") })
            return lines[start...end].joined(separator: "\n")
        }
        #expect(lines.filter { $0.hasPrefix("学生体质健康测试结果告知书") }.count == 4)

        let failing = try page(of: "陈镕")
        #expect(failing.contains("坐位体前屈|-2 厘米|0|不及格"), "\(failing)")
        #expect(failing.contains("肺活量|520 毫升|20|不及格"))
        #expect(failing.contains("等级：不及格"))
        #expect(failing.contains("本学年可补测一次"))
        #expect(failing.contains("柔韧偏弱（坐位体前屈）") && failing.contains("耐力偏弱"))
        #expect(failing.contains("肥胖：") && failing.contains("《中国学龄儿童膳食指南（2022）》"))
        #expect(!failing.contains("力量偏弱") && !failing.contains("速度偏弱"))

        let excellent = try page(of: "王堃")
        #expect(excellent.contains("学年总分：90.4 分（标准分 87.4 + 附加分 3），等级：优秀") && !excellent.contains("补测"))
        #expect(try page(of: "张喆").contains("暂未评定（部分项目缺测）"))
        let exempt = try page(of: "李免")
        #expect(exempt.contains("免予执行") && !exempt.contains("测试项目|成绩"))
        #expect(!lines.joined().contains("G00"), "no 学籍号 on a notice sent home")
    }

    /// The change since the latest earlier school year, both ways, as the family reads it.
    @Test func changeSinceTheEarlierYear() throws {
        let (database, folder) = try FitnessLedgerTests().database()
        let rows = try FitnessQueries(database: database).results(term: term)
        let excellent = try #require(rows.first { $0.name == "王堃" })
        #expect(FitnessNoticeText(excellent, earlierTotal: 8_500).summary.contains("比上一次学年总分（85.0 分）提高 5.4 分"))
        #expect(FitnessNoticeText(excellent, earlierTotal: 9_100).summary.contains("下降 0.6 分"))
        #expect(FitnessNoticeText(excellent, earlierTotal: 9_040).summary.contains("持平"))
        // 附加分 (her rope skipping beyond the 100-point 标准分) is shown apart: 学年总分 = 标准分 + 附加分.
        #expect(
            FitnessNoticeText(excellent, earlierTotal: nil).summary == "学年总分：90.4 分（标准分 87.4 + 附加分 3），等级：优秀。")
        var withoutBonus = excellent
        withoutBonus.bonus = 0
        #expect(FitnessNoticeText(withoutBonus, earlierTotal: nil).summary == "学年总分：90.4 分，等级：优秀。")
        // Through the export: the stored earlier year is the one compared.
        let school = try #require(try RosterQueries(database: database).school("实验小学"))
        let url = folder.appendingPathComponent("n.xlsx")
        try FitnessNotices(
            school: school, term: term, results: [excellent], earlierTotals: [excellent.observation.studentID: 8_000],
            date: "2025-11-01"
        ).write(to: url)
        #expect(try sheetRows(url, "一年级 1班").contains { $0.cells.joined().contains("提高 10.4 分") })
    }

    /// `notices.per_sheet: 2`: two notices side by side on each landscape A4 page (two A5 halves
    /// to cut apart): four notices make two pages, each page's row holds two salutations.
    @Test func twoNoticesToALandscapeA4Page() throws {
        let (database, folder) = try FitnessLedgerTests().database()
        var settings = CountySettings()
        settings.noticesPerSheet = 2
        let (url, count) = try ExportService(database: database, settings: settings).exportFitnessNotices(
            school: "实验小学", className: "一年级1班", term: term, to: folder, date: "2025-11-01")
        #expect(count == 4)
        let rows = try sheetRows(url, "一年级 1班")
        let salutations = rows.filter { $0.cells.contains { $0.hasPrefix("尊敬的") } }
        #expect(salutations.count == 2)
        #expect(salutations.allSatisfy { row in row.cells.filter { $0.hasPrefix("尊敬的") }.count == 2 })
        #expect(salutations.first?.cells[5].hasPrefix("尊敬的") == true, "the right half starts at column F")
        let xml = try part("xl/worksheets/sheet1.xml", of: url)
        #expect(xml.contains("orientation=\"landscape\"") && xml.contains("paperSize=\"9\""))
        #expect(xml.contains("<rowBreaks count=\"1\""), "two pages: one break")
        #expect(throws: CountySettings.InvalidSettings.self) {
            try CountySettings(json: Data(#"{"notices": {"per_sheet": 3}}"#.utf8))
        }
    }

    @Test func itemRatingsFollowTheScoreBands() {
        #expect(
            [100, 90, 89, 80, 79, 60, 59, 0].map { FitnessNoticeText.rating(score: $0) } == [
                .excellent, .excellent, .good, .good, .pass, .pass, .fail, .fail,
            ])
        #expect(
            FitnessNoticeText.weakest([.bmi: 0, .run50m: 85, .sitAndReach: 70, .ropeSkip: 40]) == [
                .ropeSkip, .sitAndReach,
            ])
        #expect(FitnessNoticeText.weakest([.run50m: 95, .sitAndReach: 80]).isEmpty)
    }
}
