import GRDB
import Standards

/// Versioned schema migrations. A migration, once released, is never edited: changes come as
/// new migrations so that every older database moves forward without loss.
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-foundation") { db in
            try db.execute(
                sql: """
                    CREATE TABLE term (
                        id TEXT PRIMARY KEY,                -- 2025-2026-1
                        start_year INTEGER NOT NULL,
                        semester INTEGER NOT NULL CHECK (semester IN (1, 2))
                    );
                    CREATE TABLE school (
                        id INTEGER PRIMARY KEY,
                        code TEXT UNIQUE,                   -- 学校标识码 or county code
                        name TEXT NOT NULL UNIQUE,
                        stage TEXT,                         -- 学段
                        township TEXT,                      -- 乡镇/街道
                        locality TEXT,                      -- 城区/镇区/乡村
                        origin TEXT NOT NULL                -- school-list, student-roster, result-file, option
                    );
                    CREATE TABLE import_batch (
                        id INTEGER PRIMARY KEY,
                        kind TEXT NOT NULL,
                        term_id TEXT NOT NULL REFERENCES term(id),
                        file_name TEXT NOT NULL,
                        sha256 TEXT NOT NULL,
                        imported_at TEXT NOT NULL,
                        mode TEXT NOT NULL,                 -- keep-valid or strict
                        rows_read INTEGER NOT NULL DEFAULT 0,
                        rows_accepted INTEGER NOT NULL DEFAULT 0,
                        rows_rejected INTEGER NOT NULL DEFAULT 0,
                        rows_inserted INTEGER NOT NULL DEFAULT 0,
                        rows_updated INTEGER NOT NULL DEFAULT 0,
                        rows_unchanged INTEGER NOT NULL DEFAULT 0
                    );
                    CREATE INDEX import_batch_file ON import_batch(kind, term_id, sha256);
                    CREATE TABLE batch_finding (
                        id INTEGER PRIMARY KEY,
                        batch_id INTEGER NOT NULL REFERENCES import_batch(id),
                        severity TEXT NOT NULL,
                        file TEXT, sheet TEXT, row INTEGER, column_name TEXT, value TEXT,
                        message TEXT NOT NULL
                    );
                    CREATE INDEX batch_finding_batch ON batch_finding(batch_id);
                    CREATE TABLE student (
                        id INTEGER PRIMARY KEY,
                        student_no TEXT UNIQUE,             -- 全国学籍号; NULL when unknown
                        name TEXT NOT NULL,
                        sex TEXT CHECK (sex IN ('male', 'female')),
                        birth_date TEXT,
                        ethnicity TEXT,
                        school_id INTEGER REFERENCES school(id),
                        grade_code INTEGER,
                        class_name TEXT,
                        origin TEXT NOT NULL,               -- roster or result-file
                        batch_id INTEGER REFERENCES import_batch(id)
                    );
                    CREATE INDEX student_natural_key ON student(school_id, name, birth_date);
                    CREATE TABLE enrolment (
                        term_id TEXT NOT NULL REFERENCES term(id),
                        student_id INTEGER NOT NULL REFERENCES student(id),
                        school_id INTEGER NOT NULL REFERENCES school(id),
                        grade_code INTEGER,
                        class_name TEXT,
                        batch_id INTEGER NOT NULL REFERENCES import_batch(id),
                        PRIMARY KEY (term_id, student_id)
                    ) WITHOUT ROWID;
                    CREATE INDEX enrolment_school ON enrolment(term_id, school_id);
                    CREATE TABLE history (
                        id INTEGER PRIMARY KEY,
                        table_name TEXT NOT NULL,
                        row_key TEXT NOT NULL,
                        batch_id INTEGER REFERENCES import_batch(id),
                        changed_at TEXT NOT NULL,
                        old_values TEXT NOT NULL,           -- JSON of the replaced values
                        new_values TEXT NOT NULL
                    );
                    CREATE INDEX history_row ON history(table_name, row_key);
                    CREATE TABLE audit_log (
                        id INTEGER PRIMARY KEY,
                        at TEXT NOT NULL,
                        actor TEXT NOT NULL,
                        action TEXT NOT NULL,
                        target TEXT NOT NULL,
                        detail TEXT NOT NULL
                    );
                    CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
                        BEGIN SELECT RAISE(ABORT, '审计日志不可修改'); END;
                    CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
                        BEGIN SELECT RAISE(ABORT, '审计日志不可删除'); END;
                    """)
        }
        migrator.registerMigration("v2-fitness") { db in
            // One row per student, term and round (正式 or 补测), keeping the typed values next to
            // the computed scores so that a re-score never needs the file.
            let items = FitnessItem.allCases.filter { $0 != .bmi }.map(\.rawValue)
            let itemColumns = items.map { "\($0) REAL, \($0)_score INTEGER" }.joined(separator: ",\n")
            try db.execute(
                sql: """
                    CREATE TABLE fitness_result (
                        id INTEGER PRIMARY KEY,
                        term_id TEXT NOT NULL REFERENCES term(id),
                        student_id INTEGER NOT NULL REFERENCES student(id),
                        round TEXT NOT NULL DEFAULT '正式',
                        school_id INTEGER NOT NULL REFERENCES school(id),
                        grade_code INTEGER NOT NULL,
                        class_name TEXT,
                        sex TEXT NOT NULL,
                        exempt INTEGER NOT NULL,
                        height_cm REAL,
                        weight_kg REAL,
                        \(itemColumns),
                        raw_texts TEXT NOT NULL,            -- JSON: the cells as typed
                        status TEXT NOT NULL,               -- scored, incomplete, exempt
                        bmi_tenths INTEGER,
                        bmi_category TEXT,
                        bmi_score INTEGER,
                        standard_hundredths INTEGER,
                        bonus INTEGER NOT NULL,
                        total_hundredths INTEGER,
                        rating TEXT,
                        batch_id INTEGER NOT NULL REFERENCES import_batch(id),
                        UNIQUE (term_id, student_id, round)
                    );
                    CREATE INDEX fitness_result_school ON fitness_result(term_id, school_id);
                    """)
        }
        migrator.registerMigration("v3-vision-followup") { db in
            // Measurements as typed and parsed (acuity in tenths, refraction in thousandths of a
            // diopter); the classification is recomputed from them with the settings of each report.
            let eyeColumns = ["right", "left"].map { eye in
                "\(eye)_va_tenths INTEGER, \(eye)_va_text TEXT, \(eye)_sphere INTEGER, \(eye)_cylinder INTEGER, \(eye)_axis INTEGER, \(eye)_se_given INTEGER"
            }.joined(separator: ",\n")
            try db.execute(
                sql: """
                    CREATE TABLE vision_screening (
                        id INTEGER PRIMARY KEY,
                        term_id TEXT NOT NULL REFERENCES term(id),
                        round TEXT NOT NULL,                 -- 初筛 or 复筛
                        student_id INTEGER NOT NULL REFERENCES student(id),
                        school_id INTEGER NOT NULL REFERENCES school(id),
                        grade_code INTEGER,
                        class_name TEXT,
                        sex TEXT,
                        age_months INTEGER,
                        \(eyeColumns),
                        glasses_type INTEGER,
                        raw_texts TEXT NOT NULL,
                        myopic INTEGER,                      -- at import, with the default settings
                        low_vision_grade TEXT,
                        needs_referral INTEGER NOT NULL,
                        batch_id INTEGER NOT NULL REFERENCES import_batch(id),
                        UNIQUE (term_id, round, student_id)
                    );
                    CREATE INDEX vision_screening_school ON vision_screening(term_id, school_id);
                    CREATE INDEX vision_screening_student ON vision_screening(student_id);
                    CREATE TABLE followup (
                        id INTEGER PRIMARY KEY,
                        kind TEXT NOT NULL,                  -- vision-referral, fitness-fail, fitness-obese
                        record_id INTEGER NOT NULL,          -- the screening or result the ledger row showed
                        fields TEXT NOT NULL,                -- JSON of the columns the school filled in
                        batch_id INTEGER NOT NULL REFERENCES import_batch(id),
                        UNIQUE (kind, record_id)
                    );
                    """)
        }
        migrator.registerMigration("v4-psych") { db in
            // The most sensitive data Jiance holds: item answers, results, and the crisis ledger as
            // cases with append-only events (nothing overwritten; ../shared/reference/psych/RULES.md).
            try db.execute(
                sql: """
                    CREATE TABLE psych_screening (
                        id INTEGER PRIMARY KEY,
                        term_id TEXT NOT NULL REFERENCES term(id),
                        wave TEXT NOT NULL,                  -- the screening wave, e.g. 2025秋季心理筛查
                        scale TEXT NOT NULL,                 -- phq9, phq_a (the form is the scale id) …
                        student_id INTEGER NOT NULL REFERENCES student(id),
                        school_id INTEGER NOT NULL REFERENCES school(id),
                        grade_code INTEGER,
                        class_name TEXT,
                        answers TEXT NOT NULL,               -- JSON item → value, in the form's own order
                        supplementary TEXT NOT NULL,
                        total_only INTEGER,
                        total INTEGER,
                        band TEXT,
                        risk_level TEXT,                     -- proposed by the screening
                        critical_items TEXT,
                        valid INTEGER NOT NULL,
                        complete INTEGER NOT NULL,
                        batch_id INTEGER NOT NULL REFERENCES import_batch(id),
                        UNIQUE (term_id, wave, scale, student_id)
                    );
                    CREATE INDEX psych_screening_school ON psych_screening(term_id, school_id);
                    CREATE TABLE psych_case (
                        id INTEGER PRIMARY KEY,
                        student_id INTEGER NOT NULL REFERENCES student(id),
                        school_id INTEGER NOT NULL REFERENCES school(id),
                        opened_on TEXT NOT NULL,
                        source TEXT NOT NULL,                -- 筛查, 教师, 家长, 同伴, 本人
                        screening_id INTEGER REFERENCES psych_screening(id),
                        proposed_level TEXT,
                        confirmed_level TEXT,
                        status TEXT NOT NULL,                -- 待复核, 跟进中, 观察中, 结案
                        next_date TEXT,
                        batch_id INTEGER REFERENCES import_batch(id)
                    );
                    CREATE INDEX psych_case_student ON psych_case(student_id);
                    CREATE TABLE psych_event (
                        id INTEGER PRIMARY KEY,
                        case_id INTEGER NOT NULL REFERENCES psych_case(id),
                        on_date TEXT NOT NULL,
                        kind TEXT NOT NULL,                  -- 发现, 复核, 告知监护人, 干预, 转介, 随访, 状态, 结案
                        detail TEXT NOT NULL,
                        by_whom TEXT,
                        batch_id INTEGER REFERENCES import_batch(id),
                        recorded_at TEXT NOT NULL
                    );
                    CREATE INDEX psych_event_case ON psych_event(case_id);
                    CREATE TRIGGER psych_event_no_update BEFORE UPDATE ON psych_event
                        BEGIN SELECT RAISE(ABORT, '台账事件只能追加，不能修改'); END;
                    CREATE TRIGGER psych_event_no_delete BEFORE DELETE ON psych_event
                        BEGIN SELECT RAISE(ABORT, '台账事件只能追加，不能删除'); END;
                    """)
        }
        migrator.registerMigration("v5-fitness-student-index") { db in
            // 毕业成绩 looks up each graduating student's earlier years; without this index every
            // school's ledger scanned the whole table (found by the 1M benchmark).
            try db.execute(sql: "CREATE INDEX fitness_result_student ON fitness_result(student_id)")
        }
        migrator.registerMigration("v6-academic-resources") { db in
            // Exam marks as typed (tenths of a point, the full mark of the paper; 缺考 and 免考 as a
            // status, never a zero), the official monitoring values, and school resources per 学段
            // (totals in hundredths) by statistics year (../shared/reference/academic/RULES.md).
            let totals = ResourceColumns.all.map { "\($0) INTEGER" }.joined(separator: ", ")
            try db.execute(
                sql: """
                    CREATE TABLE academic_score (
                        id INTEGER PRIMARY KEY,
                        term_id TEXT NOT NULL REFERENCES term(id),
                        exam TEXT NOT NULL,
                        student_id INTEGER NOT NULL REFERENCES student(id),
                        subject TEXT NOT NULL,
                        school_id INTEGER NOT NULL REFERENCES school(id),
                        grade_code INTEGER,
                        class_name TEXT,
                        status TEXT NOT NULL,                -- scored, absent, exempt
                        score_tenths INTEGER,
                        full_tenths INTEGER NOT NULL,
                        raw_text TEXT NOT NULL,
                        batch_id INTEGER NOT NULL REFERENCES import_batch(id),
                        UNIQUE (term_id, exam, student_id, subject)
                    );
                    CREATE INDEX academic_score_school ON academic_score(term_id, exam, school_id);
                    CREATE INDEX academic_score_student ON academic_score(student_id);
                    CREATE TABLE monitoring_result (
                        id INTEGER PRIMARY KEY,
                        year INTEGER NOT NULL,
                        subject TEXT NOT NULL,
                        grade_code INTEGER NOT NULL,
                        level INTEGER,
                        difference REAL,
                        mean_score REAL,
                        batch_id INTEGER NOT NULL REFERENCES import_batch(id),
                        UNIQUE (year, subject, grade_code)
                    );
                    CREATE TABLE school_resource (
                        id INTEGER PRIMARY KEY,
                        year INTEGER NOT NULL,
                        school_id INTEGER NOT NULL REFERENCES school(id),
                        stage TEXT NOT NULL,                 -- 小学 or 初中 (a 九年一贯制 school has both)
                        kind TEXT,
                        students INTEGER NOT NULL,
                        \(totals),
                        classes INTEGER,
                        largest_class INTEGER,
                        teachers INTEGER,
                        batch_id INTEGER NOT NULL REFERENCES import_batch(id),
                        UNIQUE (year, school_id, stage)
                    );
                    """)
        }
        migrator.registerMigration("v7-psych-case-school") { db in
            // Psychological counts are taken school by school; without this index each school's
            // count scanned every case of the county (found on a 100k-student report).
            try db.execute(sql: "CREATE INDEX psych_case_school ON psych_case(school_id)")
        }
        migrator.registerMigration("v8-undo") { db in
            // `jiance undo`: the whole row before each change (old_values keeps only the changed
            // inputs), and which undo reverted a batch, so that a batch is undone once and its
            // file can be imported again.
            try db.execute(
                sql: """
                    ALTER TABLE history ADD COLUMN old_row TEXT;
                    ALTER TABLE import_batch ADD COLUMN undone_by INTEGER REFERENCES import_batch(id);
                    CREATE INDEX history_batch ON history(batch_id, table_name);
                    """)
        }
        migrator.registerMigration("v9-accounts") { db in
            // `jiance serve`: the accounts of the bureau (county), each school (school) and its
            // psychological teacher (psych). Only a password hash is kept; failed logins lock
            // an account for a while. A school account belongs to exactly one school. A batch
            // records who imported it and, for a school's upload, the one school it may touch.
            try db.execute(
                sql: """
                    CREATE TABLE account (
                        id INTEGER PRIMARY KEY,
                        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
                        role TEXT NOT NULL CHECK (role IN ('county', 'school', 'psych')),
                        school_id INTEGER REFERENCES school(id),
                        password_hash TEXT NOT NULL,
                        disabled INTEGER NOT NULL DEFAULT 0,
                        failed_logins INTEGER NOT NULL DEFAULT 0,
                        locked_until TEXT,
                        created_at TEXT NOT NULL,
                        CHECK ((role = 'county') = (school_id IS NULL))
                    );
                    ALTER TABLE import_batch ADD COLUMN actor TEXT;
                    ALTER TABLE import_batch ADD COLUMN school_id INTEGER REFERENCES school(id);
                    """)
        }
        return migrator
    }
}

/// The stored column of each resource indicator's total (hundredths), named once for the
/// importer that writes them and the report that reads them.
public enum ResourceColumns {
    public static func column(_ indicator: ResourceIndicator) -> String {
        switch indicator {
        case .qualifiedTeachers: "qualified_teachers"
        case .keyTeachers: "key_teachers"
        case .artsAndPETeachers: "arts_pe_teachers"
        case .teachingArea: "teaching_area"
        case .sportsArea: "sports_area"
        case .equipmentValue: "equipment_value"
        case .multimediaRooms: "multimedia_rooms"
        }
    }

    public static var all: [String] { ResourceIndicator.allCases.map(column) }
}
