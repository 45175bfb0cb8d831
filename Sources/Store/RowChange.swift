/// What a row did to the stored data.
public enum RowChange: Sendable, Equatable {
    case inserted, updated, unchanged
    /// A row without any measurement, which left the stored row of the same student as it was.
    case keptStored
    /// A row that left blank some measurements the stored row has (their labels), which left the
    /// stored row as it was.
    case keptStoredCells([String])

    /// Whether the row was not stored because the stored one has results it would erase.
    public var keptStoredRow: Bool {
        switch self {
        case .keptStored, .keptStoredCells: true
        case .inserted, .updated, .unchanged: false
        }
    }

    /// The stronger of two changes (a row that inserted one thing and updated another counts as inserted).
    public func merged(_ other: RowChange) -> RowChange {
        switch (self, other) {
        case (.inserted, _), (_, .inserted): .inserted
        case (.updated, _), (_, .updated): .updated
        default: .unchanged
        }
    }
}
