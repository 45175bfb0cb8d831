import Foundation
import Ledgers
import Standards

/// A synthetic county, deterministic from a seed: schools of every kind, and students with
/// plausible names, ages, classes and 学籍号. Nothing in it is real data.
public struct SampleCounty {
    public struct School: Sendable {
        public var code: String
        public var name: String
        public var stage: SchoolStage
        public var township: String
        public var locality: Locality
        /// Relative size.
        var weight: Double
    }

    public struct Student: Sendable {
        public var studentNo: String
        public var name: String
        public var sex: Sex
        public var birth: (year: Int, month: Int, day: Int)
        public var ethnicity: String
        public var school: Int
        public var grade: GradeCode
        public var className: String
    }

    public let term: Term
    public let schools: [School]
    public private(set) var students: [Student] = []

    static let templates: [(String, SchoolStage, String, Locality, Double)] = [
        ("示例县实验小学", .primary, "城关街道", .urban, 1.6),
        ("示例县第二实验小学", .primary, "东城街道", .urban, 1.3),
        ("柳河镇中心小学", .primary, "柳河镇", .town, 0.9),
        ("石桥乡小学", .primary, "石桥乡", .rural, 0.5),
        ("示例县第一中学", .junior, "城关街道", .urban, 1.4),
        ("柳河镇中学", .junior, "柳河镇", .town, 0.8),
        ("青山九年一贯制学校", .nineYear, "青山乡", .rural, 0.7),
        ("东关九年一贯制学校", .nineYear, "东城街道", .urban, 1.0),
    ]

    static let surnames = Array(
        "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    ).map(String.init)
    static let givenCharacters = Array("子涵浩宇欣怡梓轩雨桐一诺宇轩思彤俊杰佳怡明轩紫涵博文雅琪晨曦梓萱皓然诗涵嘉怡天佑若曦锦程可馨睿泽语嫣浩然安琪铭泽雨萱嘉懿昊天悦彤堃镕喆翀昕玥珺琦瑾煜钰")

    public init(students count: Int, seed: UInt64, term: Term = Term(startYear: 2025, semester: 1)!) {
        self.term = term
        var random = SeededGenerator(seed: seed)
        let schoolCount = count >= 20_000 ? max(8, count / 400) : SampleCounty.templates.count
        var schools: [School] = []
        for index in 0..<schoolCount {
            let template = SampleCounty.templates[index % SampleCounty.templates.count]
            let round = index / SampleCounty.templates.count
            let name = round == 0 ? template.0 : "\(template.0)（\(round + 1)）"
            // 学校标识码: 10 digits, synthetic (prefix 21 + a county-like number + sequence).
            let code = "213713" + String(format: "%04d", 1001 + index)
            schools.append(
                School(
                    code: code, name: name, stage: template.1, township: template.2, locality: template.3,
                    weight: template.4 * Double.random(in: 0.85...1.15, using: &random)))
        }
        self.schools = schools
        students = SampleCounty.makeStudents(count: count, schools: schools, term: term, random: &random)
    }

    private init(term: Term, schools: [School], students: [Student]) {
        self.term = term
        self.schools = schools
        self.students = students
    }

    /// The same county in the same season a school year earlier (`previousYearStudents`), so
    /// that samples can span several school years with the same children.
    public func earlierYear() -> SampleCounty {
        SampleCounty(term: term.sameSeasonLastYear, schools: schools, students: previousYearStudents())
    }

    /// Last school year's students: this year's, one grade lower (this year's first grade was not
    /// yet at school), and last year's leavers, who filled the top grade of each school then.
    public func previousYearStudents() -> [Student] {
        var students: [Student] = []
        for student in self.students {
            // A junior school's first-years were at a primary school last year: not on this roster.
            guard let year = student.grade.year, year > 1, let grade = GradeCode(year: year - 1),
                SampleCounty.grades(of: schools[student.school].stage).contains(grade)
            else { continue }
            var earlier = student
            earlier.grade = grade
            students.append(earlier)
        }
        for (index, student) in self.students.enumerated() {
            let top = SampleCounty.grades(of: schools[student.school].stage).last
            guard student.grade == top else { continue }
            var leaver = student
            leaver.birth.year -= 1
            leaver.name =
                SampleCounty.surnames[(index * 7) % SampleCounty.surnames.count] + String(student.name.dropFirst())
            // A sequence block per school year, so that leavers of different years never share a 学籍号.
            let block = 100_000_000 + (term.startYear % 100) * 1_000_000
            leaver.studentNo = SampleCounty.studentNumber(
                sequence: block + index, sex: student.sex,
                birth: (leaver.birth.year, leaver.birth.month, leaver.birth.day))
            students.append(leaver)
        }
        return students
    }

    /// Grades a school teaches.
    static func grades(of stage: SchoolStage) -> [GradeCode] {
        switch stage {
        case .primary: return (1...6).compactMap { GradeCode(year: $0) }
        case .junior: return (7...9).compactMap { GradeCode(year: $0) }
        default: return (1...9).compactMap { GradeCode(year: $0) }
        }
    }

    private static func makeStudents(count: Int, schools: [School], term: Term, random: inout SeededGenerator)
        -> [Student]
    {
        // Seats per (school, grade) proportional to school weight.
        var slots: [(school: Int, grade: GradeCode, weight: Double)] = []
        for (index, school) in schools.enumerated() {
            let grades = grades(of: school.stage)
            for grade in grades {
                slots.append(
                    (index, grade, school.weight / Double(grades.count) * (school.stage == .nineYear ? 1.5 : 1)))
            }
        }
        let total = slots.reduce(0) { $0 + $1.weight }
        var students: [Student] = []
        students.reserveCapacity(count)
        var sequence = 0
        var assigned = 0
        for (slotIndex, slot) in slots.enumerated() {
            let size =
                slotIndex == slots.count - 1 ? count - assigned : Int((Double(count) * slot.weight / total).rounded())
            let classes = max(1, Int((Double(size) / 45).rounded(.up)))
            for seat in 0..<max(0, min(size, count - assigned)) {
                sequence += 1
                let sex: Sex = random.chance(0.52) ? .male : .female
                let year = slot.grade.year ?? 1
                // Entry to grade 1 at six by 31 August (《义务教育法》第十一条; most provinces' cut-off).
                let birthYear = term.startYear - 6 - (year - 1) - (random.chance(0.08) ? 1 : 0)
                let birthMonth = Int.random(in: 1...12, using: &random)
                let adjustedYear = birthMonth >= 9 ? birthYear - 1 : birthYear
                let day = Int.random(in: 1...28, using: &random)
                let surname = surnames[Int.random(in: 0..<surnames.count, using: &random)]
                var given = givenCharacters[Int.random(in: 0..<givenCharacters.count, using: &random)].description
                if random.chance(0.7) {
                    given += givenCharacters[Int.random(in: 0..<givenCharacters.count, using: &random)].description
                }
                let ethnicityRoll = Int.random(in: 0..<100, using: &random)
                let ethnicity = ethnicityRoll < 96 ? "汉族" : (ethnicityRoll < 98 ? "回族" : "满族")
                students.append(
                    Student(
                        studentNo: studentNumber(sequence: sequence, sex: sex, birth: (adjustedYear, birthMonth, day)),
                        name: surname + given, sex: sex, birth: (adjustedYear, birthMonth, day), ethnicity: ethnicity,
                        school: slot.school, grade: slot.grade, className: "\(seat % classes + 1)班"))
            }
            assigned += size
        }
        return students
    }

    /// 全国学籍号 in the common `G` + 18-character identity-number form, with a valid
    /// GB 11643-1999 check character (ISO 7064 MOD 11-2). The region code is fictitious.
    static func studentNumber(sequence: Int, sex: Sex, birth: (Int, Int, Int)) -> String {
        // Unique for any sample size: each block of 500 students gets its own fictitious
        // region code, and the order digits (odd for boys) number the students within it.
        let order = (sequence % 500) * 2 + (sex == .male ? 1 : 0)
        let district = 100_000 + (sequence / 500) % 900_000
        let body = String(format: "%06d%04d%02d%02d%03d", district, birth.0, birth.1, birth.2, order)
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let sum = zip(body, weights).reduce(0) { $0 + ($1.0.wholeNumberValue ?? 0) * $1.1 }
        let check = Array("10X98765432")[sum % 11]
        return "G" + body + String(check)
    }
}
