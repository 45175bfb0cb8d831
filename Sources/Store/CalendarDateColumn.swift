import GRDB
import Standards

/// Calendar days are stored as `yyyy-mm-dd` text, the form SQLite's date functions and a person
/// reading the database both understand; text that is not a valid day reads back as nil.
extension CalendarDate: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { description.databaseValue }

    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> CalendarDate? {
        String.fromDatabaseValue(dbValue).flatMap(CalendarDate.init(iso:))
    }
}
