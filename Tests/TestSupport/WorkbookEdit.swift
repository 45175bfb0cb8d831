import Foundation
import ZIPFoundation

/// Edits cells of an exported workbook in place, as a teacher does in Excel or WPS: the file
/// keeps its sheets, styles, protection and dropdowns, and only cells that the sheet protection
/// leaves editable can be changed — filling a locked cell throws.
public struct WorkbookEdit {
    public enum Value: Sendable {
        /// What a teacher types: a number or a date (`2025-10-08`) becomes a number cell, as Excel
        /// stores it; anything else a text cell.
        case typed(String)
        /// A formula without a cached value, as some tools save it.
        case formula(String)
    }

    /// Why an edit could not be made.
    public struct Refusal: Error, CustomStringConvertible {
        public var description: String
    }

    public let url: URL

    public init(url: URL) { self.url = url }

    /// Writes `values` (0-based row and column) into `sheet`.
    public func fill(sheet: String, _ values: [(row: Int, column: Int, value: Value)]) throws {
        let archive = try Archive(url: url, accessMode: .update)
        let path = try sheetPath(sheet, in: archive)
        let unlocked = try unlockedStyles(in: archive)
        var xml = try text(path, in: archive)
        for (row, column, value) in values {
            let reference = Self.columnName(column) + String(row + 1)
            guard let range = xml.range(of: #"<c r="\#(reference)"[^>]*?(/>|>.*?</c>)"#, options: .regularExpression)
            else {
                throw Refusal(description: "单元格 \(reference) 不在导出的工作表中")
            }
            let cell = String(xml[range])
            let style =
                cell.range(of: #" s="\d+""#, options: .regularExpression).map { Int(cell[$0].filter(\.isNumber))! } ?? 0
            guard unlocked.contains(style) else {
                throw Refusal(description: "单元格 \(reference) 受工作表保护，学校无法填写")
            }
            xml.replaceSubrange(range, with: Self.cell(reference, style: style, value))
        }
        try replace(path, with: Data(xml.utf8), in: archive)
    }

    private static func cell(_ reference: String, style: Int, _ value: Value) -> String {
        switch value {
        case .formula(let formula):
            return #"<c r="\#(reference)" s="\#(style)"><f>\#(escaped(formula))</f></c>"#
        case .typed(let text):
            if let number = Double(text) { return #"<c r="\#(reference)" s="\#(style)"><v>\#(number)</v></c>"# }
            if let serial = excelSerial(text) { return #"<c r="\#(reference)" s="\#(style)"><v>\#(serial)</v></c>"# }
            return #"<c r="\#(reference)" s="\#(style)" t="inlineStr"><is><t>\#(escaped(text))</t></is></c>"#
        }
    }

    /// Days since 1899-12-30 for `yyyy-mm-dd`.
    private static func excelSerial(_ text: String) -> Int? {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, text.count == 10 else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let date = calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2])),
            let epoch = calendar.date(from: DateComponents(year: 1899, month: 12, day: 30))
        else { return nil }
        return calendar.dateComponents([.day], from: epoch, to: date).day
    }

    private static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    public static func columnName(_ index: Int) -> String {
        var name = ""
        var value = index + 1
        while value > 0 {
            let remainder = (value - 1) % 26
            name = String(UnicodeScalar(65 + remainder)!) + name
            value = (value - 1) / 26
        }
        return name
    }

    /// The part of the sheet named `name`, through workbook.xml and its relationships.
    private func sheetPath(_ name: String, in archive: Archive) throws -> String {
        let workbook = try text("xl/workbook.xml", in: archive)
        let sheet = try required(
            workbook.range(of: #"<sheet name="\#(name)"[^>]*/>"#, options: .regularExpression).map {
                String(workbook[$0])
            })
        let id = try required(
            sheet.range(of: #"r:id="[^"]+""#, options: .regularExpression).map {
                String(sheet[$0].dropFirst(6).dropLast())
            })
        let relationships = try text("xl/_rels/workbook.xml.rels", in: archive)
        let relationship = try required(
            relationships.range(of: #"<Relationship[^>]*Id="\#(id)"[^>]*/>"#, options: .regularExpression).map {
                String(relationships[$0])
            })
        let target = try required(
            relationship.range(of: #"Target="[^"]+""#, options: .regularExpression).map {
                String(relationship[$0].dropFirst(8).dropLast())
            })
        return "xl/" + target
    }

    /// Indexes of the cell formats (cellXfs) that protection leaves editable.
    private func unlockedStyles(in archive: Archive) throws -> Set<Int> {
        let styles = try text("xl/styles.xml", in: archive)
        let cellXfs = try required(
            styles.range(of: #"<cellXfs[^>]*>.*?</cellXfs>"#, options: .regularExpression).map { String(styles[$0]) })
        let formats = cellXfs.matches(of: /<xf [^>]*?(\/>|>.*?<\/xf>)/).map { String($0.output.0) }
        return Set(formats.indices.filter { formats[$0].contains(#"locked="0""#) })
    }

    private func text(_ path: String, in archive: Archive) throws -> String {
        let entry = try required(archive[path])
        var data = Data()
        _ = try archive.extract(entry) { data.append($0) }
        return String(decoding: data, as: UTF8.self)
    }

    private func replace(_ path: String, with data: Data, in archive: Archive) throws {
        try archive.remove(try required(archive[path]))
        try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate)
        { position, size in
            data.subdata(in: Int(position)..<Int(position) + size)
        }
    }
}

private func required<T>(_ value: T?) throws -> T {
    guard let value else { throw WorkbookEdit.Refusal(description: "工作簿中缺少预期的部分") }
    return value
}
