import GRDB
import Testing

@testable import Imports
@testable import Store

/// The stored answers of a psychological screening, written straight as bytes, are the text the
/// general `jsonObject` makes of the zero-padded item keys: what reports and the ledger read back.
@Suite struct PsychAnswersJSONTests {
    @Test func sameTextAsTheGeneralWriter() {
        var random = SystemRandomNumberGenerator()
        for count in [0, 1, 9, 10, 99, 100, 120] {
            var answers: [Int: Int] = [:]
            for item in (1...max(count, 1)).shuffled(using: &random).prefix(count) {
                answers[item] = Int.random(in: 0...4, using: &random)
            }
            let keyed = answers.map { item, value -> (String, DatabaseValue) in
                let digits = String(item)
                return (String(repeating: "0", count: max(0, 3 - digits.count)) + digits, value.databaseValue)
            }
            #expect(PsychRow.answersJSON(answers) == jsonObject(keyed), "\(count) answers")
        }
        #expect(PsychRow.answersJSON([2: 1, 10: 0, 100: 3]) == #"{"002":1,"010":0,"100":3}"#)
    }
}
