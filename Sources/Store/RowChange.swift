/// What a row did to the stored data.
public enum RowChange: Sendable {
    case inserted, updated, unchanged
    /// A row without any measurement, which left the stored row of the same student as it was.
    case keptStored

    /// The stronger of two changes (a row that inserted one thing and updated another counts as inserted).
    public func merged(_ other: RowChange) -> RowChange {
        switch (self, other) {
        case (.inserted, _), (_, .inserted): .inserted
        case (.updated, _), (_, .updated): .updated
        default: .unchanged
        }
    }
}
