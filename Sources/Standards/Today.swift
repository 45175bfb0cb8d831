import Foundation

/// Today's date in the machine's own time zone, `yyyy-mm-dd`: a ledger row recorded at 07:30 in
/// China is dated that day, not the day before as a UTC timestamp would have it.
public enum Today {
    public static var iso: String {
        let parts = Calendar.current.dateComponents([.year, .month, .day], from: Date())
        let m = parts.month ?? 1
        let d = parts.day ?? 1
        return "\(parts.year ?? 2000)-\(m < 10 ? "0" : "")\(m)-\(d < 10 ? "0" : "")\(d)"
    }
}
