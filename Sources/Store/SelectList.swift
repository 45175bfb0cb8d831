/// The columns of one SELECT, listed once: the query's column list is built from it and each
/// column's position is looked up in it, once per query. Rows are then read by position (GRDB's
/// lookup by name scans the row's columns for every cell, which dominated county-sized reports)
/// without a position that can drift from the SELECT.
public struct SelectList: Sendable {
    public let expressions: [String]
    private let positions: [String: Int]

    public init(_ expressions: [String]) {
        self.expressions = expressions
        var positions: [String: Int] = [:]
        for (position, expression) in expressions.enumerated() {
            precondition(positions.updateValue(position, forKey: expression) == nil, "selected twice: \(expression)")
        }
        self.positions = positions
    }

    /// The text between SELECT and FROM.
    public var sql: String { expressions.joined(separator: ", ") }

    /// The position of a selected expression; one that is not selected is a programming error.
    public subscript(_ expression: String) -> Int {
        guard let position = positions[expression] else { preconditionFailure("not selected: \(expression)") }
        return position
    }
}
