/// Settings of the myopia rule that the reference leaves open; printed in every report.
public struct VisionSettings: Sendable, Hashable {
    /// Whether SE exactly −0.50 D counts as myopic: `<` (default, the national monitoring rule)
    /// or `<=` (some sources) — RULES.md, eyeMyopic.
    public enum Boundary: String, Sendable, Hashable, CaseIterable {
        case lessThan = "<"
        case lessOrEqual = "<="
    }

    public var boundary: Boundary = .lessThan
    /// Children under 6 are judged against VA 4.9 instead of 5.0 (RULES.md, under age 6).
    public var underSixThreshold = true

    public init(boundary: Boundary = .lessThan, underSixThreshold: Bool = true) {
        self.boundary = boundary
        self.underSixThreshold = underSixThreshold
    }

    /// The rule in words, for reports.
    public var description: String {
        "近视判定：裸眼视力 < 5.0 且 等效球镜 \(boundary == .lessThan ? "<" : "≤") -0.50 D（WS/T 663-2020）；角膜塑形镜佩戴者计为近视"
            + (underSixThreshold ? "；6 岁以下视力界值为 4.9" : "")
    }
}

/// 视力不良 grades (RULES.md: 4.9 轻度, 4.6–4.8 中度, ≤ 4.5 重度).
public enum LowVisionGrade: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case mild = "轻度"
    case moderate = "中度"
    case severe = "重度"

    public static func < (lhs: LowVisionGrade, rhs: LowVisionGrade) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// Myopia severity by SE (RULES.md: 低度 −3.00 ≤ SE < −0.50, 中度 −6.00 ≤ SE < −3.00, 高度 SE < −6.00).
public enum MyopiaSeverity: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case low = "低度"
    case moderate = "中度"
    case high = "高度"

    public static func < (lhs: MyopiaSeverity, rhs: MyopiaSeverity) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// What was measured on one eye.
public struct EyeMeasurement: Sendable, Hashable {
    public var acuity: Acuity?
    public var sphere: Diopters?
    public var cylinder: Diopters?
    public var axis: Int?
    /// 等效球镜 as exported, used when S or C is missing.
    public var givenSE: Diopters?

    public init(
        acuity: Acuity? = nil, sphere: Diopters? = nil, cylinder: Diopters? = nil, axis: Int? = nil,
        givenSE: Diopters? = nil
    ) {
        self.acuity = acuity
        self.sphere = sphere
        self.cylinder = cylinder
        self.axis = axis
        self.givenSE = givenSE
    }

    /// SE = S + C/2 (WS/T 663-2020 §3.5), exact in thousandths; a missing C counts as 0 only when
    /// S is given; else the exported SE.
    public var sphericalEquivalent: Diopters? {
        if let sphere { return Diopters(thousandths: sphere.thousandths + (cylinder?.thousandths ?? 0) / 2) }
        return givenSE
    }
}

/// One student's screening.
public struct VisionInput: Sendable, Hashable {
    public var studentID: String
    public var grade: GradeCode?
    public var sex: Sex?
    /// Age in whole months at the screening, when the birth date is known.
    public var ageMonths: Int?
    public var right: EyeMeasurement
    public var left: EyeMeasurement
    public var glasses: GlassesType?

    public init(
        studentID: String, grade: GradeCode?, sex: Sex?, ageMonths: Int?, right: EyeMeasurement, left: EyeMeasurement,
        glasses: GlassesType?
    ) {
        self.studentID = studentID
        self.grade = grade
        self.sex = sex
        self.ageMonths = ageMonths
        self.right = right
        self.left = left
        self.glasses = glasses
    }
}

public struct EyeResult: Sendable, Hashable {
    public var acuity: Acuity?
    public var se: Diopters?
    /// true/false, or nil when the eye cannot be judged.
    public var myopic: Bool?
    public var lowVision: LowVisionGrade?
    public var severity: MyopiaSeverity?

    public init(acuity: Acuity?, se: Diopters?, myopic: Bool?, lowVision: LowVisionGrade?, severity: MyopiaSeverity?) {
        self.acuity = acuity
        self.se = se
        self.myopic = myopic
        self.lowVision = lowVision
        self.severity = severity
    }
}

public struct VisionResult: Sendable, Hashable {
    public var studentID: String
    public var grade: GradeCode?
    public var sex: Sex?
    public var right: EyeResult
    public var left: EyeResult
    /// Person myopic: true/false, nil when undetermined (excluded from numerator and denominator).
    public var myopic: Bool?
    /// 视力不良 (either eye), nil unless both eyes have an acuity.
    public var lowVision: Bool?
    /// The worse eye's grade.
    public var lowVisionGrade: LowVisionGrade?
    /// The worst myopic eye's severity (unknown for OK-lens wearers without SE).
    public var severity: MyopiaSeverity?
    public var glasses: GlassesType?
    public var findings: [Finding]

    public init(
        studentID: String, grade: GradeCode?, sex: Sex?, right: EyeResult, left: EyeResult, myopic: Bool?,
        lowVision: Bool?,
        lowVisionGrade: LowVisionGrade?, severity: MyopiaSeverity?, glasses: GlassesType?, findings: [Finding]
    ) {
        self.studentID = studentID
        self.grade = grade
        self.sex = sex
        self.right = right
        self.left = left
        self.myopic = myopic
        self.lowVision = lowVision
        self.lowVisionGrade = lowVisionGrade
        self.severity = severity
        self.glasses = glasses
        self.findings = findings
    }

    /// Needs a referral (转诊/复查): myopic, 视力不良, or undetermined with a low acuity.
    public var needsReferral: Bool {
        myopic == true || lowVision == true || [right, left].contains { ($0.acuity?.tenths ?? 99) < 50 }
    }
}

/// Classifies screenings by ../shared/reference/vision/RULES.md (WS/T 663-2020 and the national
/// monitoring rule).
public struct VisionClassifier: Sendable {
    public var settings: VisionSettings

    public init(settings: VisionSettings = VisionSettings()) { self.settings = settings }

    public func classify(_ input: VisionInput) -> VisionResult {
        let underSix = settings.underSixThreshold && (input.ageMonths ?? 999) < 72
        let threshold = underSix ? 49 : 50
        let right = eye(input.right, threshold: threshold)
        let left = eye(input.left, threshold: threshold)
        var findings: [Finding] = []

        // personMyopic: OK lens, or both eyes determinable and either myopic (RULES.md).
        var myopic: Bool?
        if input.glasses == .orthokeratology {
            myopic = true
        } else if let r = right.myopic, let l = left.myopic {
            myopic = r || l
        } else {
            let missing = [("右眼", right, input.right), ("左眼", left, input.left)].filter { $0.1.myopic == nil }.map {
                name, _, measured in
                measured.acuity == nil ? "\(name)缺少裸眼视力" : "\(name)缺少屈光度"
            }
            findings.append(Finding(.warning, "近视无法判定（\(missing.joined(separator: "、"))），不计入近视率的分子和分母"))
        }

        var lowVision: Bool?
        var lowGrade: LowVisionGrade?
        if input.right.acuity != nil, input.left.acuity != nil {
            lowGrade = [right.lowVision, left.lowVision].compactMap { $0 }.max()
            lowVision = lowGrade != nil
        }
        let severity = [right, left].filter { $0.myopic == true }.compactMap(\.severity).max()
        for (name, measured) in [("右眼", input.right), ("左眼", input.left)] {
            if case .belowChart(let text) = measured.acuity {
                findings.append(Finding(.warning, "\(name)裸眼视力“\(text)”低于 4.0（视力表最低行），按低于 4.0 记录", column: name))
            }
        }
        return VisionResult(
            studentID: input.studentID, grade: input.grade, sex: input.sex, right: right, left: left, myopic: myopic,
            lowVision: lowVision, lowVisionGrade: lowGrade, severity: severity, glasses: input.glasses,
            findings: findings)
    }

    /// eyeMyopic = VA below the threshold AND SE below −0.50 D. An eye whose known part already
    /// rules myopia out (VA ≥ 5.0, or SE ≥ −0.50) is not myopic; otherwise a missing part leaves
    /// it undetermined.
    func eye(_ measured: EyeMeasurement, threshold: Int) -> EyeResult {
        let se = measured.sphericalEquivalent
        let lowAcuity = measured.acuity.map { $0.tenths < threshold }
        let myopicSE = se.map { settings.boundary == .lessThan ? $0.thousandths < -500 : $0.thousandths <= -500 }
        let myopic: Bool? =
            (lowAcuity == false || myopicSE == false) ? false : ((lowAcuity == true && myopicSE == true) ? true : nil)
        var grade: LowVisionGrade?
        if let tenths = measured.acuity?.tenths, tenths < threshold {
            grade = tenths == 49 ? .mild : (tenths >= 46 ? .moderate : .severe)
        }
        var severity: MyopiaSeverity?
        if myopic == true, let se {
            severity = se.thousandths < -6000 ? .high : (se.thousandths < -3000 ? .moderate : .low)
        }
        return EyeResult(acuity: measured.acuity, se: se, myopic: myopic, lowVision: grade, severity: severity)
    }
}
