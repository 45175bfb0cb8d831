/// The rows a ledger sheet writes, read anew on each pass: from memory, or from the database
/// through a cursor, so that a large school's ledger holds one row at a time.
///
/// A sheet that states its row count before its rows (a title line, a note, the range of a
/// dropdown) learns it from `count`, known before the first row is written.
public struct StreamedRows<Row> {
    /// How many rows a pass yields.
    public let count: Int
    private let read: ((Row) throws -> Void) throws -> Void

    /// Rows `read` yields on each call, in the same order every time.
    public init(count: Int, read: @escaping ((Row) throws -> Void) throws -> Void) {
        self.count = count
        self.read = read
    }

    /// Rows `read` yields, read once now: kept in memory when there are no more than `limit` of
    /// them, so that every later pass costs nothing (most schools), else only counted and read
    /// anew on each pass, so that memory stays bounded however large the school.
    public init(reading read: @escaping ((Row) throws -> Void) throws -> Void, holdingUpTo limit: Int) throws {
        var held: [Row]? = []
        var count = 0
        try read { row in
            count += 1
            if count <= limit { held?.append(row) } else { held = nil }
        }
        if let held { self.init(held) } else { self.init(count: count, read: read) }
    }

    public init(_ rows: [Row]) {
        self.init(count: rows.count) { body in try rows.forEach(body) }
    }

    public var isEmpty: Bool { count == 0 }

    /// One pass over the rows, with each row's 0-based position.
    public func forEachRow(_ body: (Int, Row) throws -> Void) throws {
        var index = 0
        try read { row in
            try body(index, row)
            index += 1
        }
    }

    /// The rows `isIncluded` keeps, `count` of them as a pass over these rows found.
    public func filter(count: Int, _ isIncluded: @escaping (Row) -> Bool) -> StreamedRows<Row> {
        let read = self.read
        return StreamedRows(count: count) { body in
            try read { row in if isIncluded(row) { try body(row) } }
        }
    }

    /// Each row transformed as it is read.
    public func map<Other>(_ transform: @escaping (Row) -> Other) -> StreamedRows<Other> {
        let read = self.read
        return StreamedRows<Other>(count: count) { body in try read { try body(transform($0)) } }
    }
}
