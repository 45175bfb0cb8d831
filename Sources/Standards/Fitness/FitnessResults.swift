/// A student's item results, one slot per item in the standard's order.
///
/// Every row of a results file builds one, and the scorer and the writers read each item of it:
/// as a dictionary, hashing the items cost more instructions than parsing the cells.
public struct FitnessResults: Sendable, Hashable, ExpressibleByDictionaryLiteral, CustomStringConvertible {
    /// One slot per case of `FitnessItem` (a test sets and reads every item).
    private var values = InlineArray<11, Double>(repeating: 0)
    /// Bit `ordinal` is set for each item present.
    private var present: UInt16 = 0

    public init() {}

    public init(dictionaryLiteral elements: (FitnessItem, Double)...) {
        for (item, value) in elements { self[item] = value }
    }

    public subscript(item: FitnessItem) -> Double? {
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

    public var isEmpty: Bool { present == 0 }

    /// The items present, in the standard's order, with their results.
    private var items: [(item: FitnessItem, value: Double)] {
        FitnessItem.allCases.compactMap { item in self[item].map { (item, $0) } }
    }

    public static func == (lhs: FitnessResults, rhs: FitnessResults) -> Bool {
        lhs.present == rhs.present && FitnessItem.allCases.allSatisfy { lhs[$0] == rhs[$0] }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(present)
        for (_, value) in items { hasher.combine(value) }
    }

    public var description: String {
        "[" + items.map { "\($0.item.rawValue): \($0.value)" }.joined(separator: ", ") + "]"
    }
}
