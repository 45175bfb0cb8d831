import Ingest
import Testing

/// The two-thread read-ahead pipeline (imports, `jiance score`): order kept, errors from either side stop both and surface.
@Suite struct ReadAheadPipelineTests {
    struct Stop: Error {}

    @Test func itemsArriveInOrderAcrossBatches() throws {
        var seen: [Int] = []
        let output = try ReadAheadPipeline.run(
            batchSize: 7, capacity: 2,
            produce: { emit in
                for i in 0..<1000 { try emit(i) }
                return "done"
            }, consume: { seen.append($0) })
        #expect(output == "done")
        #expect(seen == Array(0..<1000))
    }

    @Test func aConsumerErrorStopsTheProducer() {
        #expect(throws: Stop.self) {
            _ = try ReadAheadPipeline.run(
                batchSize: 4, capacity: 1,
                produce: { emit in
                    for i in 0..<1_000_000 { try emit(i) }  // would never finish if it were not stopped
                    return 0
                }, consume: { if $0 == 10 { throw Stop() } })
        }
    }

    @Test func aProducerErrorSurfacesAfterTheItemsBeforeIt() {
        var consumed = 0
        #expect(throws: Stop.self) {
            _ = try ReadAheadPipeline.run(
                batchSize: 3,
                produce: { emit in
                    for i in 0..<5 { try emit(i) }
                    throw Stop()
                }, consume: { _ in consumed += 1 })
        }
        #expect(consumed == 3)  // the full batch; the partial one is dropped with the error
    }
}
