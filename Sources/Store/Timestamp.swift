import Foundation

/// Timestamps stored as ISO 8601 text in UTC (`2026-11-29T15:55:26Z`): an instant, unlike the
/// calendar days (`CalendarDate`) of the county's time zone. Foundation's format style is used
/// because it caches its ICU formatter (a new `ISO8601DateFormatter` per call is costly).
package enum Timestamp {
    package static func now() -> String {
        Date().formatted(.iso8601)
    }
}
