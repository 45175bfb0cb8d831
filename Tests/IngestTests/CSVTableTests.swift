import Foundation
import Ingest
import Standards
import TestSupport
import Testing

@Suite struct CSVTableTests {
    @Test func gb18030NamesReadCorrectly() throws {
        let folder = try temporaryFolder()
        let text = "学籍号,姓名,性别\r\nG001,王堃,男\r\nG002,陈镕,女\r\nG003,张喆,男\r\n"
        let url = folder.appendingPathComponent("名册.csv")
        try #require(text.data(using: gb18030)).write(to: url)
        let table = try CSVTable(url: url)
        var rows: [RawRow] = []
        try table.forEachRow {
            rows.append($0)
            return true
        }
        #expect(table.encoding == .gb18030)
        #expect(rows.map { $0[1] } == ["姓名", "王堃", "陈镕", "张喆"])
        #expect(rows.map(\.number) == [1, 2, 3, 4])
        #expect(table.readFindings.isEmpty)
    }

    @Test func utf8BOMDoesNotLeakIntoFirstHeader() throws {
        let url = try temporaryFolder().appendingPathComponent("bom.csv")
        try Data([0xEF, 0xBB, 0xBF] + Array("学籍号,姓名\nG1,李四\n".utf8)).write(to: url)
        let (rows, _) = try readAllRows(url)
        #expect(rows[0].cells == ["学籍号", "姓名"])
        #expect(rows[0][0].unicodeScalars.first == "学")
    }

    @Test func quotedFieldsWithCommasQuotesAndLineBreaks() throws {
        let url = try temporaryFolder().appendingPathComponent("quoted.csv")
        try Data("a,b,c\r\n\"1,5\",\"say \"\"hi\"\"\",\"line1\r\nline2\"\r\nx,,z\r\n".utf8).write(to: url)
        let (rows, findings) = try readAllRows(url)
        #expect(rows.count == 3)
        #expect(rows[1].cells == ["1,5", "say \"hi\"", "line1\r\nline2"])
        #expect(rows[2].cells == ["x", "", "z"])
        // The record after a quoted line break starts on physical line 4.
        #expect(rows[2].number == 4)
        #expect(findings.isEmpty)
    }

    @Test func tinyChunksGiveTheSameRows() throws {
        let url = try temporaryFolder().appendingPathComponent("chunks.csv")
        let text = "学籍号,姓名,备注\r\nG1,王堃,\"含,逗号\"\r\n\r\nG2,陈镕,\"两\r\n行\"\r\nG3,张喆,末行无换行"
        try #require(text.data(using: gb18030)).write(to: url)
        var expected: [RawRow] = []
        try CSVTable(url: url).forEachRow {
            expected.append($0)
            return true
        }
        for size in [1, 2, 3, 7, 64] {
            var rows: [RawRow] = []
            try CSVTable(url: url, chunkSize: size).forEachRow {
                rows.append($0)
                return true
            }
            #expect(rows == expected, "chunk size \(size)")
        }
        #expect(expected.count == 4)
        #expect(expected[3].cells == ["G3", "张喆", "末行无换行"])
        #expect(expected[2].number == 4)
    }

    /// A line of short cells longer than the cell limit keeps every cell; only a cell over the
    /// limit is cut, in every chunk size (a run of plain cells is copied at once when it fits).
    @Test func cellLimitCutsOnlyTheLongCell() throws {
        let url = try temporaryFolder().appendingPathComponent("limit.csv")
        try Data("ab,cd,ef,gh,ij\nabcdefgh,xy,,z\n".utf8).write(to: url)
        var limits = ReadLimits()
        limits.maxCellBytes = 5
        for size in [1, 3, 1 << 20] {
            let table = try CSVTable(url: url, limits: limits, chunkSize: size)
            var rows: [[String]] = []
            try table.forEachRow {
                rows.append($0.cells)
                return true
            }
            #expect(rows == [["ab", "cd", "ef", "gh", "ij"], ["abcde", "xy", "", "z"]], "chunk size \(size)")
            #expect(table.readFindings.map(\.message) == ["单元格超过 5 字节，已截断"], "chunk size \(size)")
        }
    }

    @Test func unbalancedQuoteIsAFindingNotACrash() throws {
        let url = try temporaryFolder().appendingPathComponent("open.csv")
        try Data("a,b\n1,\"never closed\n2,3\n".utf8).write(to: url)
        let (rows, findings) = try readAllRows(url)
        #expect(rows.count == 2)
        #expect(findings.contains { $0.severity == .error && $0.message.contains("引号没有闭合") && $0.row == 2 })
    }

    @Test func tabSeparatedAndLoneLineFeeds() throws {
        let url = try temporaryFolder().appendingPathComponent("tabs.csv")
        try Data("姓名\t性别\n王五\t男\n".utf8).write(to: url)
        let (rows, _) = try readAllRows(url)
        #expect(rows[1].cells == ["王五", "男"])
    }

    @Test func mixedEncodingCellIsReadWithAWarning() throws {
        let url = try temporaryFolder().appendingPathComponent("mixed.csv")
        var data = Data("姓名,学校\n".utf8)
        data.append(try #require("王堃,".data(using: gb18030)))
        data.append(Data("实验小学\n".utf8))
        try data.write(to: url)
        let (rows, findings) = try readAllRows(url)
        #expect(rows[1].cells == ["王堃", "实验小学"])
        #expect(
            findings.contains {
                $0.severity == .warning && $0.row == 2 && $0.column == "B" && $0.message.contains("UTF-8")
            })
    }

    /// In a GB18030 file: a UTF-8 cell is read as UTF-8 with a warning, a cell in neither encoding is
    /// an error, and the cells after it (a four-byte GB18030 character among them) read as before.
    @Test func gb18030FileWithAUTF8CellAndABadCell() throws {
        let url = try temporaryFolder().appendingPathComponent("gb.csv")
        var data = try #require("姓名,学校\n王堃,".data(using: gb18030))
        data.append(Data("实验小学\n".utf8))
        data.append(Data([0xFF, 0xFE, 0x2C]))
        data.append(try #require("陈镕\n𠀀,张喆\n".data(using: gb18030)))
        try data.write(to: url)
        let (rows, findings) = try readAllRows(url)
        #expect(rows.map(\.cells) == [["姓名", "学校"], ["王堃", "实验小学"], [rows[2][0], "陈镕"], ["𠀀", "张喆"]])
        #expect(findings.contains { $0.severity == .warning && $0.row == 2 && $0.column == "B" })
        #expect(findings.contains { $0.severity == .error && $0.row == 3 && $0.column == "A" })
        #expect(findings.count == 2)
    }

    @Test func utf16FileIsRejectedWithAClearReason() throws {
        let url = try temporaryFolder().appendingPathComponent("u16.csv")
        try Data([0xFF, 0xFE, 0x41, 0x00]).write(to: url)
        #expect(throws: FileReadError.self) { try readAllRows(url) }
    }
}
