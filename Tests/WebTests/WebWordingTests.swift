import Ingest
import Testing

@testable import Web

/// A refusal's advice to use the command line is reworded for the web's import form, for every
/// kind of table a reader may name, from the phrase the readers themselves write.
@Suite struct WebWordingTests {
    @Test func importAdviceNamesTheFormsKind() {
        for kind in TableKind.allCases {
            let adapted = WebWording.adapt("第 1 行的表头不是体质健康测试成绩表的表头；\(kind.hint)；整张表未导入")
            #expect(!adapted.contains("jiance"), "\(adapted)")
            #expect(adapted.contains("这像是\(kind.label)，请在“导入”页面选择“"), "\(adapted)")
        }
        #expect(
            WebWording.adapt(TableKind.vision.hint) == "这像是视力筛查表，请在“导入”页面选择“视力筛查”上传")
        // Advice written outside the readers, with the same phrase, is reworded too.
        #expect(
            WebWording.adapt("请用 jiance import roster 导入本学期名册") == "请在“导入”页面选择“学校名单与学籍名册”上传本学期名册")
        // The undo a school's account cannot do itself is left to the bureau's administrator.
        #expect(WebWording.adapt("（要去掉已导入的结果，请用 jiance undo 撤销那次导入）").contains("请由管理员在命令行用 jiance undo"))
    }
}
