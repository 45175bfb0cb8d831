/// One value per fitness item, in the standard's order: a student's results (`FitnessResults`)
/// or single scores (`FitnessItemScores`).
///
/// Every row of a results file builds one and the scorer and the writers read each item of it;
/// every report adds one up for each student. As dictionaries, hashing the items cost more
/// instructions than parsing the cells, and a report's sums hashed each item twice a student.
///
/// Inlinable, so that the readers and reports in other modules get it specialised for their
/// values instead of going through the generic value witnesses on every item.
public struct FitnessItemTable<Value: AdditiveArithmetic & Hashable & Sendable>: Sendable, Hashable, Sequence,
    ExpressibleByDictionaryLiteral, CustomStringConvertible
{
    /// One slot per case of `FitnessItem`, at its ordinal.
    @usableFromInline var values = InlineArray<11, Value>(repeating: .zero)
    /// Bit `ordinal` is set for each item present.
    @usableFromInline var present: UInt16 = 0

    @inlinable public init() {}

    public init(dictionaryLiteral elements: (FitnessItem, Value)...) {
        for (item, value) in elements { self[item] = value }
    }

    @inlinable public subscript(item: FitnessItem) -> Value? {
        get { present & (1 << item.ordinal) != 0 ? values[item.ordinal] : nil }
        set {
            if let newValue {
                values[item.ordinal] = newValue
                present |= 1 << item.ordinal
            } else {
                present &= ~(1 << item.ordinal)
            }
        }
    }

    @inlinable public var isEmpty: Bool { present == 0 }

    /// The items present, in the standard's order, with their values.
    @inlinable public func makeIterator() -> Iterator { Iterator(table: self) }

    public struct Iterator: IteratorProtocol {
        @usableFromInline let table: FitnessItemTable
        /// The items not yet visited.
        @usableFromInline var remaining: UInt16

        @inlinable init(table: FitnessItemTable) {
            self.table = table
            remaining = table.present
        }

        @inlinable public mutating func next() -> (item: FitnessItem, value: Value)? {
            guard remaining != 0 else { return nil }
            let ordinal = remaining.trailingZeroBitCount
            remaining &= remaining - 1
            return (FitnessItem(ordinal: ordinal), table.values[ordinal])
        }
    }

    public static func == (lhs: FitnessItemTable, rhs: FitnessItemTable) -> Bool {
        lhs.present == rhs.present && FitnessItem.allCases.allSatisfy { lhs[$0] == rhs[$0] }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(present)
        for (_, value) in self { hasher.combine(value) }
    }

    public var description: String {
        "[" + map { "\($0.item.rawValue): \($0.value)" }.joined(separator: ", ") + "]"
    }
}

/// A student's item results (seconds for times).
public typealias FitnessResults = FitnessItemTable<Double>

/// A student's single scores of the items (0–100, the standard's 单项得分).
public typealias FitnessItemScores = FitnessItemTable<Int>
