import Foundation
import Standards

/// Runs a file's reading and scoring on a second thread while the calling thread writes the
/// results (to the database, or as `jiance score`'s output): on two cores the work takes about as
/// long as the slower of the two halves instead of their sum. Items travel in batches through a bounded queue, so memory stays flat however
/// large the file; an error on either side stops both and is rethrown here.
public enum ReadAheadPipeline {
    /// Batches of `jiance score`, whose three threads hand rows on without a database waiting: a
    /// quarter of the wake-ups of the import's batches (`score` on 100,000 rows 0.234 → 0.219 s),
    /// and the queue still holds about 2,000 rows.
    public static let scoringBatches = (size: 256, capacity: 8)

    /// `produce` runs on a background thread and calls `emit` for each item; `consume` runs on the
    /// calling thread, in order. Returns what `produce` returned. Batches are small enough that a
    /// school's 400-row file is split in several and both threads work on it (with 256 rows a
    /// batch, the writer waited for most of such a file to be read), and the queue holds about
    /// 2,000 rows.
    ///
    /// Inlinable, so that each caller gets it specialised for its items: called generically
    /// across modules, every item emitted looked up the array's type metadata and was moved
    /// through value witnesses.
    @inlinable public static func run<Item: Sendable, Output: Sendable>(
        batchSize: Int = 64, capacity: Int = 32,
        produce: @escaping @Sendable (_ emit: (consuming Item) throws -> Void) throws -> Output,
        consume: (Item) throws -> Void
    ) throws -> Output {
        let channel = Channel<Item>(capacity: capacity)
        let outcome = Outcome<Output>()
        let thread = Thread {
            var batch: [Item] = []
            batch.reserveCapacity(batchSize)
            do {
                let output = try produce { (item: consuming Item) in
                    batch.append(consume item)
                    if batch.count == batchSize {
                        try channel.put(batch)
                        batch.removeAll(keepingCapacity: true)
                    }
                }
                try channel.put(batch)
                outcome.set(.success(output))
            } catch {
                // The items read before the error are handed on first, as a reader on one
                // thread would have given them: a sheet cut short still shows its rows.
                try? channel.put(batch)
                outcome.set(.failure(error))
            }
            channel.finish()
        }
        thread.stackSize = 8 << 20
        thread.start()
        do {
            while let batch = channel.take() {
                // Each item lent to `consume` in place: `for item in batch` copied it.
                for index in batch.indices { try consume(batch[index]) }
                channel.giveBack(consume batch)
            }
        } catch {
            channel.cancel()
            outcome.wait()
            throw error
        }
        return try outcome.wait().get()
    }

    /// The bounded queue between the two threads.
    @usableFromInline final class Channel<Item>: @unchecked Sendable {
        private let condition = NSCondition()
        private var batches: [[Item]] = []
        /// Batches the consumer is done with: freed on the producer's thread, which has time to
        /// spare, rather than on the writing thread (freeing a row's values cost a tenth of it).
        private var spent: [[Item]] = []
        private var finished = false
        private var cancelled = false
        private let capacity: Int

        @usableFromInline init(capacity: Int) { self.capacity = capacity }

        @usableFromInline func put(_ batch: [Item]) throws {
            condition.lock()
            while batches.count >= capacity && !cancelled { condition.wait() }
            if cancelled {
                condition.unlock()
                throw CancellationError()
            }
            if !batch.isEmpty { batches.append(batch) }
            let freed = spent
            spent = []
            condition.broadcast()
            condition.unlock()
            _ = consume freed
        }

        @usableFromInline func giveBack(_ batch: consuming [Item]) {
            condition.lock()
            spent.append(batch)
            condition.unlock()
        }

        @usableFromInline func take() -> [Item]? {
            condition.lock()
            defer { condition.unlock() }
            while batches.isEmpty && !finished { condition.wait() }
            guard !batches.isEmpty else { return nil }
            condition.broadcast()
            return batches.removeFirst()
        }

        @usableFromInline func finish() {
            condition.lock()
            finished = true
            condition.broadcast()
            condition.unlock()
        }

        @usableFromInline func cancel() {
            condition.lock()
            cancelled = true
            condition.broadcast()
            condition.unlock()
        }
    }

    /// The producer's result, waited for by the calling thread.
    @usableFromInline final class Outcome<Output>: @unchecked Sendable {
        private let condition = NSCondition()
        private var result: Result<Output, any Error>?

        @usableFromInline init() {}

        @usableFromInline func set(_ value: Result<Output, any Error>) {
            condition.lock()
            result = value
            condition.broadcast()
            condition.unlock()
        }

        @usableFromInline @discardableResult
        func wait() -> Result<Output, any Error> {
            condition.lock()
            defer { condition.unlock() }
            while result == nil { condition.wait() }
            return result!
        }
    }
}

/// A table whose rows are read on a second thread (bytes split into cells, decoded, quotes
/// undone) while the calling thread works on the rows before.
final class ReadAheadTable: TableSource, @unchecked Sendable {
    private let source: TableSource

    init(_ source: TableSource) { self.source = source }

    var fileName: String { source.fileName }
    var sheetName: String? { source.sheetName }
    /// Complete once `forEachRow` has returned: the reading thread has finished by then.
    var readFindings: [Finding] { source.readFindings }

    func forEachRow(_ body: (RawRow) throws -> Bool) throws {
        /// `body` asked to stop: the reading thread is told and the table ends quietly.
        struct Stopped: Error {}
        do {
            try ReadAheadPipeline.run(
                batchSize: ReadAheadPipeline.scoringBatches.size, capacity: ReadAheadPipeline.scoringBatches.capacity,
                produce: { [self] emit in
                    try source.forEachRow { row in
                        try emit(row)
                        return true
                    }
                },
                consume: { row in
                    if try !body(row) { throw Stopped() }
                })
        } catch is Stopped {}
    }
}
