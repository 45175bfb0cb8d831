import Foundation
import Indicators
import Standards
import Testing

/// The settings file decoded once (`SettingsFile`): every section, the limits from the same decode,
/// and every refusal a Chinese message that names the setting by its dotted key path.
@Suite struct SettingsFileTests {
    private func message(_ json: String) -> String? {
        do {
            _ = try CountySettings(json: Data(json.utf8))
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func everySectionDecodes() throws {
        let json = """
            { "fitness": { "good_or_better": 0.6, "passing": 0.95 },
              "vision": { "boundary": "<=", "under_six_threshold": false, "baseline_year": 2023,
                          "drop_per_year_pp": 0.5 },
              "psych": { "cutoffs": { "PHQ-9": { "橙": 20, "黄": 10, "观察": 5 } }, "mht_scale": 7, "sdq_version": "parent",
                         "review_days": 5 },
              "academic": { "scheme": "standardised", "lower_grades_scheme": [90, 80, 60], "lower_grades_up_to": 3,
                            "method": "eta2", "max_difference": 0.2,
                            "full_marks": { "语文": 120, "数学": { "7": 150, "default": 100 } },
                            "standardised": { "mean": 50, "sd": 10, "cuts": [60, 50, 40] },
                            "references": { "数学": { "mean": 78.5, "sd": 12 } } },
              "county_figures": { "junior_retention": 0.97, "nearby_enrolment_primary": 1 },
              "health_record": ["vision"],
              "notices": { "referral": "  县人民医院眼科  ", "per_sheet": 2 },
              "limits": { "max_file_mb": 10, "max_rows": 1000, "max_cell_chars": 100, "max_columns": 50,
                          "max_expansion_ratio": 50, "max_upload_mb": 20, "max_upload_files": 5 },
              "written_by": "a later version" }
            """
        let file = try SettingsFile(json: Data(json.utf8))
        let settings = try CountySettings(file)
        #expect(settings.fitness.goodOrBetter == 0.6 && settings.fitness.passing == 0.95)
        #expect(settings.vision.boundary == .lessOrEqual && !settings.vision.underSixThreshold)
        #expect(settings.myopia.baselineYear == 2023 && settings.myopia.dropPerYearPP == 0.5)
        #expect(settings.psych.totalCutoffs["phq9"] == [.orange: 20, .yellow: 10, .watch: 5])
        #expect(settings.psych.mhtScaleCutoff == 7 && settings.psych.sdqVersion == "parent")
        #expect(settings.psychReviewDays == 5)
        #expect(settings.academic.scheme.id == BandScheme.standardised(mean: 50, sd: 10, cuts: [60, 50, 40]).id)
        #expect(settings.academic.scheme(for: GradeCode(year: 3)).id == "90/80/60")
        #expect(settings.academic.scheme(for: GradeCode(year: 4)).id == settings.academic.scheme.id)
        #expect(settings.academic.method == .eta2 && settings.academic.target.maximumDifference == 0.2)
        #expect(settings.academic.fullMark(subject: "语文", grade: GradeCode(year: 8)) == 120)
        #expect(settings.academic.fullMark(subject: "数学", grade: GradeCode(year: 7)) == 150)
        #expect(settings.academic.fullMark(subject: "数学", grade: GradeCode(year: 8)) == 100)
        #expect(settings.academic.references["数学"]?.mean == 78.5 && settings.academic.references["数学"]?.sd == 12)
        #expect(settings.countyFigures == [.juniorRetention: 0.97, .nearbyEnrolmentPrimary: 1])
        #expect(settings.healthRecord == [.vision])
        #expect(settings.referralInstitution == "县人民医院眼科" && settings.noticesPerSheet == 2)
        // The limits come from the same decode.
        let limits = try #require(file.limits)
        #expect([limits.maxFileMB, limits.maxRows, limits.maxCellChars, limits.maxColumns] == [10, 1000, 100, 50])
        #expect([limits.maxExpansionRatio, limits.maxUploadMB, limits.maxUploadFiles] == [50, 20, 5])
    }

    @Test func anEmptyFileKeepsTheDefaults() throws {
        let file = try SettingsFile(json: Data("{}".utf8))
        let settings = try CountySettings(file)
        #expect(file.limits == nil)
        #expect(settings.fitness == CountySettings().fitness && settings.vision == CountySettings().vision)
        #expect(settings.healthRecord == [.vision, .fitness] && settings.noticesPerSheet == 1)
        #expect(settings.referralInstitution == nil && settings.countyFigures.isEmpty)
    }

    /// A value of the wrong type is named by its key path, with what belongs there; Swift's English
    /// decoding errors never reach a user.
    @Test func typeMismatchesNameTheKeyPath() {
        let cases: [(json: String, message: String)] = [
            (#"{"fitness": {"passing": "0.98"}}"#, "设置项 fitness.passing 应为 0–1 的比例，如 0.98"),
            (#"{"fitness": {"good_or_better": true}}"#, "设置项 fitness.good_or_better 应为 0–1 的比例，如 0.55"),
            (#"{"fitness": 3}"#, "设置项 fitness 应为对象"),
            (#"{"vision": {"baseline_year": "2023"}}"#, "设置项 vision.baseline_year 应为基线学年的起始年份"),
            (#"{"vision": {"baseline_year": 2023.5}}"#, "设置项 vision.baseline_year 应为整数"),
            (#"{"vision": {"under_six_threshold": "yes"}}"#, "设置项 vision.under_six_threshold 应为 true 或 false"),
            (#"{"vision": {"boundary": 1}}"#, #"设置项 vision.boundary 只能是 "<" 或 "<=""#),
            (#"{"psych": {"review_days": false}}"#, "设置项 psych.review_days 应为数字"),
            (#"{"psych": {"cutoffs": {"phq9": {"橙": "20"}}}}"#, #"设置项 psych.cutoffs.phq9 应为 {"红"/"橙"/"黄"/"观察": 数字}"#),
            (#"{"psych": {"cutoffs": []}}"#, "设置项 psych.cutoffs 应为对象"),
            (#"{"psych": {"sdq_version": 1}}"#, "设置项 psych.sdq_version 只能是 self、parent 或 teacher"),
            (#"{"county_figures": {"junior_retention": "97%"}}"#, "设置项 county_figures.junior_retention 应为 0–1 的比例"),
            (#"{"health_record": "vision"}"#, "设置项 health_record 应为列表"),
            (#"{"health_record": [1]}"#, "设置项 health_record 应为列表"),
            (#"{"notices": {"referral": 3}}"#, "设置项 notices 应为对象"),
            (#"{"notices": {"per_sheet": "2"}}"#, "设置项 notices.per_sheet 应为 1（每张 A4 一份）或 2（每张 A4 横排两份 A5）"),
            (#"{"academic": []}"#, "设置项 academic 应为对象"),
            (#"{"academic": {"scheme": 85}}"#, "设置项 academic.scheme 应为 "),
            (#"{"academic": {"lower_grades_scheme": [90, "80"]}}"#, "设置项 academic.lower_grades_scheme 应为 "),
            (#"{"academic": {"method": true}}"#, "设置项 academic.method 只能是 icc 或 eta2"),
            (#"{"academic": {"max_difference": "0.15"}}"#, "设置项 academic.max_difference 应为正数"),
            (#"{"academic": {"full_marks": {"语文": "120"}}}"#, "设置项 academic.full_marks.语文 应为满分数字或 {年级: 满分}"),
            (#"{"academic": {"full_marks": {"数学": {"7": true}}}}"#, "设置项 academic.full_marks.数学.7 应为正数"),
            (#"{"academic": {"standardised": {"cuts": "600"}}}"#, "设置项 academic.standardised.cuts 应为从高到低的三个分数"),
            (#"{"academic": {"references": {"数学": 78}}}"#, "设置项 academic.references.数学 需要 mean 与 sd"),
            (
                #"{"academic": {"references": {"数学": {"mean": "78", "sd": 12}}}}"#,
                "设置项 academic.references.数学.mean 应为正数"
            ),
            (#"{"limits": {"max_rows": "many"}}"#, "设置项 limits.max_rows 应为正整数"),
            (#"{"limits": {"max_upload_files": true}}"#, "设置项 limits.max_upload_files 应为正整数"),
            (#"{"limits": 5}"#, "设置项 limits 应为对象"),
        ]
        for (json, expected) in cases {
            let message = self.message(json) ?? "accepted"
            #expect(message.hasPrefix(expected), "\(json)")
            #expect(!message.contains("Expected") && !message.contains("Dictionary"), "\(json)")
        }
    }

    /// The checks of each setting's values keep their wording.
    @Test func valuesOutOfRangeKeepTheirMessages() {
        let cases: [(json: String, message: String)] = [
            (#"{"notices": {"per_sheet": 3}}"#, "设置项 notices.per_sheet 应为 1（每张 A4 一份）或 2（每张 A4 横排两份 A5）"),
            (#"{"vision": {"boundary": "<<"}}"#, #"设置项 vision.boundary 只能是 "<" 或 "<=""#),
            (#"{"county_figures": {"x": 1}}"#, "未知的设置项 county_figures.x（可用：nearby_enrolment_primary、"),
            (#"{"county_figures": {"junior_retention": 97}}"#, "设置项 county_figures.junior_retention 应为 0–1 的比例"),
            (#"{"health_record": ["eyes"]}"#, #"设置项 health_record 应为列表，取值 "vision"、"fitness"，如 ["vision", "fitness"]"#),
            (#"{"psych": {"cutoffs": {"phq9": {"紫": 3}}}}"#, "设置项 psych.cutoffs.phq9 应为"),
            (#"{"psych": {"sdq_version": "child"}}"#, "设置项 psych.sdq_version 只能是 self、parent 或 teacher"),
            (#"{"academic": {"scheme": "80/70"}}"#, "设置项 academic.scheme 应为 85/75/60、"),
            (#"{"academic": {"method": "cv"}}"#, "设置项 academic.method 只能是 icc 或 eta2"),
            (#"{"academic": {"lower_grades_up_to": -1}}"#, "设置项 academic.lower_grades_up_to 应为正数"),
            (#"{"academic": {"lower_grades_up_to": 2.5}}"#, "设置项 academic.lower_grades_up_to 应为整数"),
            (#"{"psych": {"cutoffs": {"phq9": {"橙": 19.5}}}}"#, "设置项 psych.cutoffs.phq9.橙 应为整数"),
            (#"{"academic": {"full_marks": {"数学": {"10": 100}}}}"#, "设置项 academic.full_marks.数学 的键应为年级 1–9 或 default"),
            (
                #"{"academic": {"scheme": "standardised", "standardised": {"cuts": [400, 500, 600]}}}"#,
                "设置项 academic.standardised.cuts 应为从高到低的三个分数"
            ),
            (#"{"academic": {"references": {"数学": {"mean": 78}}}}"#, "设置项 academic.references.数学 需要 mean 与 sd"),
            // Targets typed as percentages (98 for 98 %) would make every school fail 9800 %.
            (#"{"fitness": {"passing": 98}}"#, "设置项 fitness.passing 应为 0–1 的比例，如 0.98（即 98 %）"),
            (#"{"fitness": {"good_or_better": 55}}"#, "设置项 fitness.good_or_better 应为 0–1 的比例"),
            (#"{"fitness": {"passing": -1}}"#, "设置项 fitness.passing 应为 0–1 的比例"),
            (#"{"vision": {"drop_per_year_pp": -1}}"#, "设置项 vision.drop_per_year_pp 应为每年下降的百分点"),
            (#"{"vision": {"baseline_year": 1900}}"#, "设置项 vision.baseline_year 应为基线学年的起始年份"),
            (#"{"limits": {"max_rows": 0}}"#, "设置项 limits.max_rows 应为正整数"),
            (#"{"limits": {"max_columns": 1.5}}"#, "设置项 limits.max_columns 应为正整数"),
            ("[1, 2]", "设置文件不是有效的 JSON 对象"),
            ("{\"fitness\": ", "设置文件不是有效的 JSON 对象"),
            ("", "设置文件不是有效的 JSON 对象"),
        ]
        for (json, expected) in cases {
            #expect((message(json) ?? "accepted").hasPrefix(expected), "\(json)")
        }
    }
}
