import Foundation

extension Array where Element: Sendable {
    /// `transform` of every element, run on all cores (`DispatchQueue.concurrentPerform`) and
    /// returned in the elements' order. An element whose transform throws has its error as its
    /// result, so one failure neither stops nor hides the others. Meant for independent reads
    /// from the database pool, such as the schools of an export or the reports of a trend.
    public func concurrentMap<T>(_ transform: @Sendable (Element) throws -> T) -> [Result<T, any Error>] {
        let slots = ResultSlots<T>(count: count)
        DispatchQueue.concurrentPerform(iterations: count) { index in
            slots.set(index, Result { try transform(self[index]) })
        }
        return slots.results
    }
}

/// The results of a `concurrentMap`, each written once by its own thread, under a lock.
private final class ResultSlots<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Result<T, any Error>?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ result: Result<T, any Error>) { lock.withLock { slots[index] = result } }

    /// Every slot is set once `concurrentPerform` has returned.
    var results: [Result<T, any Error>] { lock.withLock { slots.map { $0! } } }
}
