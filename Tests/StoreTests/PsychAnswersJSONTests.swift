import GRDB
import Testing

@testable import Imports
@testable import Store

/// The stored answers of a psychological screening, written straight as bytes, are the text the
/// general `jsonObject` makes of the zero-padded item keys: what reports and the ledger read back.
@Suite struct PsychAnswersJSONTests {
    @Test func sameTextAsTheGeneralWriter() {
        for count in [0, 1, 9, 10, 99, 100, 120] {
            // Every other item from 1, answers 0–4: keys of one, two and three digits, in a
            // dictionary's order.
            var answers: [Int: Int] = [:]
            for item in stride(from: 1, through: 2 * count - 1, by: 2) { answers[item] = (item * 7 + count) % 5 }
            let keyed = answers.map { item, value -> (String, DatabaseValue) in
                let digits = String(item)
                return (String(repeating: "0", count: max(0, 3 - digits.count)) + digits, value.databaseValue)
            }
            #expect(PsychRow.answersJSON(answers) == jsonObject(keyed), "\(count) answers")
        }
        #expect(PsychRow.answersJSON([2: 1, 10: 0, 100: 3]) == #"{"002":1,"010":0,"100":3}"#)
    }
}
