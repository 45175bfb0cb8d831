import Standards

/// One field a table may have: its key, the label users see, and the header texts that mean it.
public struct FieldSpec: Sendable {
    public var key: String
    public var label: String
    /// Normalised header texts (see `HeaderText.normalize`) that name this field.
    public var synonyms: [String]
    public var required: Bool
    /// The key of the field a second column of the same header means (one version of the
    /// national template writes 一分钟仰卧起坐 twice; the second is the girls' column).
    public var repeatedMeans: String?

    public init(
        _ key: String, _ label: String, synonyms: [String] = [], required: Bool = false, repeatedMeans: String? = nil
    ) {
        self.key = key
        self.label = label
        self.synonyms = ([label] + synonyms).map(HeaderText.normalize)
        self.required = required
        self.repeatedMeans = repeatedMeans
    }
}

/// The fields of one kind of table, e.g. a student roster.
public struct TableSchema: Sendable {
    public var name: String
    public var fields: [FieldSpec]
    /// A row counts as the header when it names at least this many fields.
    public var minimumHeaderMatches: Int
    /// The kind of student table this is: a header that looks like another kind is refused.
    public var kind: TableKind?
    /// Keys of the fields that make the table this kind (a fitness table's test items): a header
    /// naming none of them is refused, however many identity columns it has.
    public var ownFields: [String]

    /// Header texts of superseded layouts that cannot be read as this kind, with what to do.
    public var supersededLayouts: [(header: String, advice: String)]
    /// Columns that are not fields but show a row is the header (an exam sheet's subject columns).
    public var alsoHeader: (@Sendable (String) -> Bool)?

    public init(
        name: String, fields: [FieldSpec], minimumHeaderMatches: Int = 2, kind: TableKind? = nil,
        ownFields: [String] = [],
        supersededLayouts: [(header: String, advice: String)] = [], alsoHeader: (@Sendable (String) -> Bool)? = nil
    ) {
        self.name = name
        self.fields = fields
        self.minimumHeaderMatches = minimumHeaderMatches
        self.kind = kind
        self.ownFields = ownFields
        self.supersededLayouts = supersededLayouts
        self.alsoHeader = alsoHeader
    }

    /// Why a header row that matched is not this kind of table, nil when it is.
    func refusal(of map: HeaderMap, row: RawRow) -> String? {
        let texts = row.cells.map(HeaderText.normalize)
        if let layout = supersededLayouts.first(where: { layout in texts.contains { $0.contains(layout.header) } }) {
            return "第 \(row.number) 行的表头是旧版格式（有“\(layout.header)”列）：\(layout.advice)；整张表未导入"
        }
        if let kind, let other = TableKind.guess(row.cells, decisiveOnly: true), other != kind {
            return "第 \(row.number) 行的表头不是\(name)的表头；\(other.hint)；整张表未导入"
        }
        let guessed = TableKind.guess(row.cells)
        let own = fields.enumerated().filter { ownFields.contains($0.element.key) }
        guard !own.isEmpty, !own.contains(where: { map.has($0.offset) }) else { return nil }
        let labels = own.prefix(6).map(\.element.label).joined(separator: "、")
        let instead = guessed.map { "；\($0.hint)" } ?? "；请检查是否选错了文件"
        return "第 \(row.number) 行的表头中没有\(name)的任何项目列（\(labels)……）\(instead)；整张表未导入"
    }

    public func index(of key: String) -> Int? { fields.firstIndex { $0.key == key } }
}

/// Header text normalisation: people write 身高（cm）, 身高(cm), 身 高, ＊学籍号 and mean the same.
public enum HeaderText {
    /// Half-width, no spaces or line breaks, no required-field stars, lower-case Latin, brackets
    /// unified to `(` `)`.
    ///
    /// Matched scalar by scalar: a switch over Characters compares Strings, and the fitness
    /// schema's two hundred synonyms took 8 million instructions to normalise at start-up.
    public static func normalize(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        for scalar in ValueParsing.normalize(text).unicodeScalars {
            switch scalar {
            case " ", "\t", "\n", "\r", "*", "＊", "：", ":": continue
            case "（", "【", "[": result.append("(")
            case "）", "】", "]": result.append(")")
            case "×", "Ｘ", "X": result.append("x")
            case "A"..."Z": result.append(Unicode.Scalar(scalar.value + 0x20)!)
            case "\u{0}"..."\u{7F}": result.append(scalar)
            default: result.append(contentsOf: String(scalar).lowercased().unicodeScalars)
            }
        }
        return String(result)
    }

    /// The header without a trailing bracketed part (usually a unit): `身高(cm)` → `身高`.
    public static func withoutBracket(_ normalized: String) -> String {
        guard normalized.hasSuffix(")"), let open = normalized.lastIndex(of: "("), open != normalized.startIndex else {
            return normalized
        }
        return String(normalized[..<open])
    }
}

/// Where each field of a schema sits in a file, found from its header row.
public struct HeaderMap: Sendable {
    public var headerRow: Int
    /// Column index of each schema field (same order as `schema.fields`), nil when absent.
    public var columns: [Int?]
    /// The header text of each column of the file, for findings.
    public var headers: [String]
    /// Duplicate or unknown-column remarks.
    public var findings: [Finding]

    /// Matches `row` against `schema`; nil when it names fewer than `minimumHeaderMatches` fields.
    public static func match(_ row: RawRow, schema: TableSchema) -> HeaderMap? {
        var columns = [Int?](repeating: nil, count: schema.fields.count)
        var findings: [Finding] = []
        var matched = 0
        for (column, text) in row.cells.enumerated() {
            let normalized = HeaderText.normalize(text)
            guard !normalized.isEmpty else { continue }
            let bare = HeaderText.withoutBracket(normalized)
            guard
                let field = schema.fields.firstIndex(where: { $0.synonyms.contains(normalized) })
                    ?? schema.fields.firstIndex(where: { $0.synonyms.contains(bare) })
            else {
                if schema.alsoHeader?(text) == true { matched += 1 }
                continue
            }
            if columns[field] != nil, let repeated = schema.fields[field].repeatedMeans,
                let other = schema.index(of: repeated), columns[other] == nil
            {
                columns[other] = column
                matched += 1
                continue
            }
            if let first = columns[field] {
                findings.append(
                    Finding(.warning, "与第 \(columnLetter(first)) 列重复，重复的列已忽略（以第一列为准）", row: row.number, column: text))
                continue
            }
            columns[field] = column
            matched += 1
        }
        guard matched >= schema.minimumHeaderMatches else { return nil }
        return HeaderMap(headerRow: row.number, columns: columns, headers: row.cells, findings: findings)
    }

    /// The required fields of `schema` this header lacks.
    public func missingRequired(in schema: TableSchema) -> [FieldSpec] {
        zip(schema.fields, columns).compactMap { field, column in field.required && column == nil ? field : nil }
    }

    public func has(_ field: Int) -> Bool { columns[field] != nil }

    /// True when no field of the schema has a value in `row`: a blank row, or a template's
    /// numbered row (序号 1, 2, 3 … and nothing else) waiting to be filled in.
    public func isEmpty(_ row: RawRow) -> Bool {
        if row.isBlank { return true }
        return columns.allSatisfy { column in column.map(row.isBlank) ?? true }
    }

    /// The normalised cell text of `field` in `row`, "" when the column is absent or blank.
    public func value(_ field: Int, in row: RawRow) -> String {
        guard let column = columns[field] else { return "" }
        return row.withUTF8(column, ValueParsing.normalized)
    }

    /// Calls `body` with the UTF-8 bytes of `value(field, in: row)`; a cell that needs no
    /// normalising (most numbers) is handed over as it is in the row, without making a String.
    public func withValueUTF8<Result>(
        _ field: Int, in row: RawRow, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result
    ) rethrows -> Result {
        guard let column = columns[field] else { return try body(UnsafeBufferPointer(start: nil, count: 0)) }
        return try row.withUTF8(column) { bytes in
            guard ValueParsing.mayNeedNormalizing(bytes) else { return try body(bytes) }
            var normalized = ValueParsing.folded(bytes)
            return try normalized.withUTF8(body)
        }
    }

    /// `make(value(field, in: row))`, made once for the cells that repeat down a column (学校名称,
    /// 班级名称, 民族): a cell with the bytes of one of the column's last few is given what was
    /// made of that one.
    public func value<Value>(
        _ field: Int, in row: RawRow, repeating memory: inout RecentCells<Value>, _ make: (String) -> Value
    ) -> Value {
        guard let column = columns[field] else { return make("") }
        return row.withUTF8(column) { bytes in
            if let known = memory.value(field, ifSameAs: bytes) { return known }
            let value = make(ValueParsing.normalized(bytes))
            memory.remember(field, bytes: bytes, as: value)
            return value
        }
    }

    /// The header text of `field` as the file writes it.
    public func headerText(_ field: Int) -> String? {
        guard let column = columns[field], column < headers.count else { return nil }
        return headers[column]
    }
}

/// Reads a table source against a schema: finds the header row (skipping titles and notes
/// above it), then calls `body` with each non-blank data row.
public struct SchemaReader {
    /// How many rows above the header may hold titles, notes or blank lines.
    public var headerSearchRows = 30

    public init() {}

    /// Finds the header among the first rows. Returns nil (and a finding) when none is found.
    public func read(
        _ source: TableSource, schema: TableSchema, findings: inout [Finding],
        body: (HeaderMap, RawRow) throws -> Void
    ) throws -> HeaderMap? {
        var header: HeaderMap?
        var best: (row: Int, matched: Int)?
        var rowsSeen = 0
        var collected: [Finding] = []
        var missingColumns: [String] = []
        var refused: String?
        var guessed: TableKind?
        try source.forEachRow { row in
            if let header {
                if !header.isEmpty(row) { try body(header, row) }
                return true
            }
            rowsSeen += 1
            if let map = HeaderMap.match(row, schema: schema) {
                if let refusal = schema.refusal(of: map, row: row) {
                    refused = refusal
                    return false
                }
                let missing = map.missingRequired(in: schema)
                guard missing.isEmpty else {
                    missingColumns = missing.map(\.label)
                    best = (row.number, 0)
                    return false
                }
                header = map
                collected.append(contentsOf: map.findings)
                return true
            }
            let matched = row.cells.filter { text in
                let normalized = HeaderText.normalize(text)
                return schema.fields.contains {
                    $0.synonyms.contains(normalized) || $0.synonyms.contains(HeaderText.withoutBracket(normalized))
                }
            }.count
            if matched > (best?.matched ?? 0) { best = (row.number, matched) }
            if guessed == nil { guessed = TableKind.guess(row.cells) }
            return rowsSeen < headerSearchRows
        }
        let place = { (finding: Finding) -> Finding in
            var located = finding
            located.file = source.fileName
            located.sheet = source.sheetName
            return located
        }
        findings.append(contentsOf: collected.map(place))
        findings.append(contentsOf: source.readFindings)
        if let refused {
            findings.append(place(Finding(.error, refused)))
        } else if let best, !missingColumns.isEmpty {
            findings.append(
                place(
                    Finding(
                        .error,
                        "第 \(best.row) 行是\(schema.name)的表头，但缺少必需的列：\(missingColumns.joined(separator: "、"))；整张表未导入",
                        row: best.row)))
        } else if header == nil {
            let required = schema.fields.filter(\.required).map(\.label)
            let expected =
                required.isEmpty
                ? "至少 \(schema.minimumHeaderMatches) 个，如 " + schema.fields.prefix(6).map(\.label).joined(separator: "、")
                : required.joined(separator: "、")
            var message = "找不到\(schema.name)的表头：前 \(headerSearchRows) 行中没有一行包含所需的列（\(expected)）"
            if let best { message += "；最接近的是第 \(best.row) 行" }
            if let guessed, guessed != schema.kind { message += "；\(guessed.hint)" }
            findings.append(place(Finding(.error, message)))
        }
        return header
    }
}
