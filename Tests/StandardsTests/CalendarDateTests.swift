import Foundation
import Standards
import Testing

/// Calendar days: only real dates, ordered and counted as days (leap years and month ends
/// included), stored as `yyyy-mm-dd`.
@Suite struct CalendarDateTests {
    /// Every date from 1900 to 2199 prints as zero-padded `yyyy-mm-dd` and reads back as itself.
    @Test func everyDatePrintsAsStored() {
        for year in 1900...2199 {
            for month in 1...12 {
                for day in 1...31 {
                    guard let date = CalendarDate(year: year, month: month, day: day) else { continue }
                    let text = date.description
                    #expect(text == String(format: "%04d-%02d-%02d", year, month, day))
                    #expect(CalendarDate(iso: text) == date)
                }
            }
        }
    }

    @Test func onlyRealDatesExist() {
        #expect(CalendarDate(iso: "2024-02-29") != nil)
        #expect(CalendarDate(iso: "2025-02-29") == nil)
        #expect(CalendarDate(iso: "1900-02-29") == nil, "1900 is not a leap year")
        #expect(CalendarDate(iso: "2000-02-29") != nil, "2000 is")
        #expect(CalendarDate(iso: "2025-04-31") == nil)
        for text in ["2025-1-08", "2025/01/08", "20250108", "", "2025-13-01", "2025-00-10", "abcd-ef-gh"] {
            #expect(CalendarDate(iso: text) == nil, "\(text)")
        }
        #expect(CalendarDate(iso: "2025-10-08")?.description == "2025-10-08")
    }

    @Test func daysAreCountedAcrossMonthsYearsAndLeapDays() {
        #expect(CalendarDate("1970-01-01").dayNumber == 0)
        #expect(CalendarDate("2000-03-01").dayNumber == 11_017)
        #expect(CalendarDate("2024-02-28").days(to: "2024-03-01") == 2)
        #expect(CalendarDate("2025-02-28").days(to: "2025-03-01") == 1)
        #expect(CalendarDate("2025-12-30").days(to: "2026-01-02") == 3)
        #expect(CalendarDate("2026-01-02").days(to: "2025-12-30") == -3)
        #expect(CalendarDate("2025-09-30") < "2025-10-01" && CalendarDate("2025-10-01") > "2025-09-30")
    }

    @Test func todayIsTheCountysDay() {
        #expect(Today.iso == Today.date.description)
        #expect(CalendarDate(iso: Today.iso) == Today.date)
    }
}
