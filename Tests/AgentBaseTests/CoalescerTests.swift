@testable import AgentBase
import Synchronization
import SwitchboardTesting
import Testing

/// The coalescer's batching, without Redis: callers send the batches themselves.
struct CoalescerTests {
    /// Batches sent, and a gate holding the first send until released.
    final class Sender: Sendable {
        let batches = Mutex<[[Int]]>([])
        let firstStarted = AsyncStream<Void>.makeStream()
        let releaseFirst = AsyncStream<Void>.makeStream()

        func send(_ items: [Int]) async throws {
            let isFirst = batches.withLock { batches in
                batches.append(items)
                return batches.count == 1
            }
            if isFirst {
                firstStarted.continuation.yield()
                _ = await releaseFirst.stream.first { _ in true }
            }
            if items.contains(-1) { throw CancellationError() }
        }
    }

    @Test("items submitted while a batch is in flight go together in the next; each caller gets its batch's error")
    func batchesWhileInFlight() async throws {
        let sender = Sender()
        let coalescer = Coalescer<Int>(maxBatch: 10) { try await sender.send($0) }
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask { (try? await coalescer.submit([1])) != nil }
            _ = await sender.firstStarted.stream.first { _ in true }
            group.addTask { (try? await coalescer.submit([2, 3])) != nil }
            group.addTask { (try? await coalescer.submit([-1])) != nil }
            try await eventually("both later callers wait behind the batch in flight") { coalescer.waitingCount == 2 }
            sender.releaseFirst.continuation.finish()
            var results: [Bool] = []
            for try await result in group { results.append(result) }
            #expect(results.filter { $0 }.count == 1)
        }
        let batches = sender.batches.withLock { $0 }
        #expect(batches.count == 2)
        #expect(batches.first == [1])
        #expect(Set(batches.last ?? []) == [2, 3, -1])
    }
}
