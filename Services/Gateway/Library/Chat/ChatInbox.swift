import AgentBase
import Logging
import ServiceLifecycle
import Synchronization

/// Chat messages whose answer must not hold up the request that brought them (Slack's Events API wants its answer
/// within 3 seconds): queued here and answered in the inbox's own `run()`, at most `concurrency` at a time, as
/// children of its task group. A graceful shutdown answers those queued first; messages that come after it wait for
/// the next `run()` (an application started again in the same process).
public final class ChatInbox: Service, Sendable {
    /// One message to answer and the channel to answer it through.
    struct Job: Sendable {
        var message: InboundMessage
        var channel: any ChatChannel
    }

    let chat: ChatService
    let concurrency: Int
    let capacity: Int
    let logger: Logger
    /// The queue the next (or current) `run()` answers.
    private let queue: Mutex<(jobs: AsyncStream<Job>, continuation: AsyncStream<Job>.Continuation)>

    /// - Parameters:
    ///   - capacity: messages that may wait; one more is refused (the caller lets the sender retry).
    public init(chat: ChatService, concurrency: Int = 16, capacity: Int = 1000, logger: Logger) {
        self.chat = chat
        self.concurrency = max(1, concurrency)
        self.capacity = capacity
        self.logger = logger
        queue = Mutex(Self.makeQueue(capacity))
    }

    /// Queues `message`; false when the inbox is full.
    func submit(_ message: InboundMessage, via channel: any ChatChannel) -> Bool {
        if case .enqueued = queue.withLock({ $0.continuation }).yield(Job(message: message, channel: channel)) { return true }
        return false
    }

    public func run() async {
        let (jobs, continuation) = queue.withLock { $0 }
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                var running = 0
                for await job in jobs {
                    if running == concurrency {
                        await group.next()
                        running -= 1
                    }
                    group.addTask { await self.answer(job) }
                    running += 1
                }
            }
        } onGracefulShutdown: {
            // What comes from now on waits for the next run; this one answers what it holds and ends.
            self.queue.withLock { $0 = Self.makeQueue(self.capacity) }
            continuation.finish()
        }
    }

    private static func makeQueue(_ capacity: Int) -> (jobs: AsyncStream<Job>, continuation: AsyncStream<Job>.Continuation) {
        let made = AsyncStream.makeStream(of: Job.self, bufferingPolicy: .bufferingOldest(capacity))
        return (made.stream, made.continuation)
    }

    private func answer(_ job: Job) async {
        do {
            try await chat.answer(job.message, via: job.channel)
        } catch {
            logger.error("could not answer a chat message", metadata: ["channel": "\(job.channel.name)", "error": "\(error)"])
        }
    }
}
