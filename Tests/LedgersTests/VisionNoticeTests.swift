import Foundation
import Indicators
import Ingest
import Ledgers
import Services
import Standards
import Store
import TestSupport
import Testing

/// 视力筛查结果告知书 on the screenings of VisionLedgerTests: G001 myopic (4.8, SE −1.50, 低度),
/// G002 normal, G003 wearing an OK lens; the same children also answered a PHQ-9 screening.
@Suite struct VisionNoticeTests {
    let term = Term("2025-2026-1")!

    func database() throws -> (JianceDatabase, URL) {
        let (database, folder) = try VisionLedgerTests().database()
        try importPHQ9("G001,王堃,2,2,2,2,1,1,1,1,1", database: database, folder: folder, term: term)
        return (database, folder)
    }

    @Test func oneNamedPagePerScreenedStudentOwnerOnlyAndAudited() throws {
        let (database, folder) = try database()
        let (url, count) = try ExportService(database: database).exportVisionNotices(
            school: "实验小学", className: nil, term: term, to: folder.appendingPathComponent("out"), date: "2025-11-01")
        #expect(count == 3)
        #expect(
            (try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? NSNumber)?.intValue
                == 0o600)
        #expect(
            try AuditLog.entries(database).contains {
                $0.action == "export-vision-notices" && $0.target == url.lastPathComponent && $0.detail.contains("3 份")
            })

        let pages = try sheetRows(url, "四年级 1班").map { $0.cells.joined() }
        func page(of name: String) throws -> String {
            let start = try #require(pages.firstIndex { $0.contains("尊敬的 \(name) 同学家长") })
            let end = try #require(pages[start...].firstIndex { $0.contains("家长签字") })
            return pages[start...end].joined(separator: "\n")
        }
        let myopic = try page(of: "王堃")
        #expect(myopic.contains("筛查结论：筛查提示近视（低度）"))
        #expect(myopic.contains("需到医疗机构进一步检查"))
        #expect(myopic.contains("4.8") && myopic.contains("-1.50"))
        let normal = try page(of: "陈镕")
        #expect(normal.contains("本次筛查未见近视和视力不良") && normal.contains("目前不需要到医疗机构复查"))
        #expect(try page(of: "张喆").contains("角膜塑形镜"))
        #expect(pages.filter { $0.contains("视力筛查结果告知书") && !$0.contains("回执") }.count == 3)

        let xml = try parts(of: url).values.joined()
        // One printed page per notice: a manual break before every notice but the first.
        #expect(xml.contains("<rowBreaks count=\"2\""))
        #expect(xml.contains("儿童青少年近视防控适宜技术指南"))
        // No 学籍号 and no psychological word on a notice sent home.
        for word in ["G001", "G002", "心理", "PHQ", "抑郁", "焦虑", "危机", "预警"] {
            #expect(!xml.contains(word), "\(word)")
        }
    }

    @Test func oneClassByNameAndGradeOrNothing() throws {
        let (database, folder) = try database()
        let out = folder.appendingPathComponent("out")
        let exporter = ExportService(database: database)
        for spelling in ["四年级1班", "4年级(1)班", "1401", "1班"] {
            #expect(
                try exporter.exportVisionNotices(
                    school: "实验小学", className: spelling, term: term, to: out, date: "2025-11-01"
                )
                .count == 3, "\(spelling)")
        }
        do {
            _ = try exporter.exportVisionNotices(
                school: "实验小学", className: "五年级1班", term: term, to: out, date: "2025-11-01")
            Issue.record("a class the school does not have was exported")
        } catch let missing as NothingToExport {
            // Named as a missing class, with the one the school has, in Chinese.
            #expect(missing.description == "没有班级“五年级1班”；本学期的班级有：四年级1班", "\(missing)")
        }
        #expect(throws: NothingToExport.self) {
            try exporter.exportVisionNotices(
                school: "实验小学", className: nil, term: Term("2024-2025-2")!, to: out, date: "2025-11-01")
        }
    }

    /// The re-screening's notices never replace the screening's: the round is in the file name, and
    /// a message about a round names it in Chinese.
    @Test func aReScreeningIsNamedApart() throws {
        let school = SchoolInfo(id: 1, name: "实验小学")
        let names = VisionRound.allCases.map {
            VisionNotices(school: school, term: term, round: $0, screenings: [], date: "2025-11-01").fileName
        }
        #expect(names == ["视力筛查告知书_实验小学_2025-2026-1.xlsx", "视力筛查告知书_实验小学_2025-2026-1_复筛.xlsx"])
        #expect("\(VisionRound.rescreening)" == "复筛")
    }

    /// The county's designated eye clinic, from the settings, is where a referred child is sent.
    @Test func referralNamesTheCountysClinic() throws {
        let (database, folder) = try database()
        let settings = try CountySettings(json: Data(#"{"notices":{"referral":"示例县人民医院眼科"}}"#.utf8))
        #expect(settings.referralInstitution == "示例县人民医院眼科")
        let (url, _) = try ExportService(database: database, settings: settings).exportVisionNotices(
            school: "实验小学", className: nil, term: term, to: folder, date: "2025-11-01")
        let text = try sheetRows(url, "四年级 1班").map { $0.cells.joined() }.joined(separator: "\n")
        // G001 (myopic) and G003 (an OK-lens wearer counts as myopic) are referred; G002 is not.
        #expect(text.components(separatedBy: "请在一个月内带孩子到示例县人民医院眼科").count == 3)
        #expect(throws: CountySettings.InvalidSettings.self) {
            try CountySettings(json: Data(#"{"notices":{"referral":3}}"#.utf8))
        }
    }

    /// The wording rules on their own: an undetermined screening with low acuity is sent to a
    /// doctor; 视力不良 without myopia names its grade.
    @Test func plainWordsForEachConclusion() {
        func eye(_ tenths: Int?, myopic: Bool?, low: LowVisionGrade?) -> EyeResult {
            EyeResult(
                acuity: tenths.map { Acuity.fivePoint(tenths: $0) }, se: nil, myopic: myopic, lowVision: low,
                severity: nil)
        }
        func result(_ right: EyeResult, _ left: EyeResult, myopic: Bool?, low: LowVisionGrade?) -> VisionResult {
            VisionResult(
                studentID: "x", grade: nil, sex: nil, right: right, left: left, myopic: myopic, lowVision: low != nil,
                lowVisionGrade: low, severity: nil, glasses: nil, findings: [])
        }
        let undetermined = VisionNoticeText(
            result(eye(46, myopic: nil, low: .moderate), eye(50, myopic: false, low: nil), myopic: nil, low: .moderate))
        #expect(undetermined.conclusion.contains("是否近视无法判定") && undetermined.conclusion.contains("视力不良，中度"))
        #expect(undetermined.nextStep.contains("需到医疗机构进一步检查"))
        #expect(VisionNoticeText.eye(eye(46, myopic: nil, low: .moderate)) == "视力不良（中度），近视无法判定")
        let mild = VisionNoticeText(
            result(eye(49, myopic: false, low: .mild), eye(50, myopic: false, low: nil), myopic: false, low: .mild))
        #expect(mild.conclusion == "裸眼视力低于正常（视力不良，轻度）。" && mild.nextStep.contains("需到医疗机构"))
        #expect(VisionNoticeText.prevention.allSatisfy { $0.source.hasPrefix("《") })
    }
}
