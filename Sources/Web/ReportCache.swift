import Foundation

/// Reports the pages build, kept while the data they were built from is unchanged
/// (`JianceDatabase.dataVersion`) and the day is the same (review deadlines count from today):
/// a bureau's staff and 250 schools open the dashboard far more often than files arrive.
actor ReportCache {
    private var entries: [String: any Sendable] = [:]
    private var order: [String] = []
    private let capacity: Int

    init(capacity: Int = 64) { self.capacity = capacity }

    func value<T: Sendable>(_ key: String, as type: T.Type) -> T? { entries[key] as? T }

    func store(_ key: String, _ value: some Sendable) {
        if entries.updateValue(value, forKey: key) == nil { order.append(key) }
        while order.count > capacity { entries[order.removeFirst()] = nil }
    }
}
