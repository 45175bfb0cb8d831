/// Bounds for an optional school filter written `school_id BETWEEN ? AND ?`: one school, or all.
/// (`? IS NULL OR school_id = ?` reads the same but keeps SQLite from using the
/// (term_id, school_id) index, a full scan per school when ledgers are written school by school.)
func schoolRange(_ schoolID: Int64?) -> (Int64, Int64) {
    schoolID.map { ($0, $0) } ?? (Int64.min, Int64.max)
}
