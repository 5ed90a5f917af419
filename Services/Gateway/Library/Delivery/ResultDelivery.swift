import AgentBase
import Foundation
import Logging
import ServiceLifecycle

/// Carries progress and results back to the chat they came from. It reads `sb:events` in the
/// consumer group `gateway` (replicas share the work; an event is acked only after delivery),
/// edits the task's status message on progress, and sends the rendered result when it ends.
public final class ResultDelivery: Service, Sendable {
    let groups: any ConsumerGroups
    let keys: KeySpace
    let channels: [String: any ChatChannel]
    let origins: OriginStore
    let conversations: ConversationStore
    /// Where the files results hand back are kept.
    let files: any FileStore
    let consumer: String
    /// Coding sessions: a turn's end starts the next queued turn.
    let sessions: SessionTurns?
    /// Issue runs' tracking comments and fix rounds' replies.
    let issues: IssueTracker?
    let logger: Logger
    /// How long an event may sit unacknowledged with another replica before this one takes it over (`XAUTOCLAIM`):
    /// that replica is gone, since a delivery takes seconds.
    let reclaimIdle: Duration
    /// How long an event waits for the chat's acknowledgement of its task.
    let ackWait: Duration = .seconds(5)
    static let group = "gateway"

    public init(bus: RedisBus, channels: [any ChatChannel], consumer: String, sessions: SessionTurns? = nil, issues: IssueTracker? = nil, reclaimIdle: Duration = .seconds(120), logger: Logger) {
        self.groups = bus.groups
        self.keys = bus.keys
        self.channels = Dictionary(channels.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let storage = GatewayStorage(bus: bus)
        self.origins = OriginStore(storage: storage)
        self.conversations = ConversationStore(storage: storage)
        self.files = bus.files
        self.consumer = consumer
        self.sessions = sessions
        self.issues = issues
        self.reclaimIdle = reclaimIdle
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await self.sessions?.resume()
            await self.loop()
        }
    }

    /// Delivers events, then acks them; events a replica that is gone read but never delivered are taken over.
    private func loop() async {
        // The group starts at the end of the stream: old events belong to no chat now.
        var events = StreamGroupConsumer(
            groups: groups, stream: keys.events, group: Self.group, consumer: consumer, startingAt: "$",
            block: .seconds(1), reclaimIdle: reclaimIdle, retryDelay: .milliseconds(500), logger: logger
        )
        while !Task.isCancelled {
            let batch = await events.next(upTo: 100)
            for entry in batch.fetched.entries { await deliver(TaskEvent(entry: entry)) }
            do {
                try await events.ack(batch.ids)
            } catch {
                logger.warning("cannot ack delivered events; they will be delivered again", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Delivers one event to its origin; a task's end then starts the next queued turn of its coding session.
    func deliver(_ event: TaskEvent) async {
        await send(event)
        if event.isTerminal, let sessions, let conversation = event.conversation, (event.requestType ?? SessionTurnRequest.type) == SessionTurnRequest.type {
            await sessions.ended(task: event.task, conversation: conversation)
        }
    }

    /// Sends one event to its origin, retrying transient failures and honouring `retry_after`.
    private func send(_ event: TaskEvent) async {
        guard let source = event.source, let channelName = source.split(separator: ":").first.map(String.init),
              let channel = channels[channelName], event.isTerminal || event.type == "task.progress" else { return }
        do {
            guard let (origin, statusMessage) = try await waitForAck(event.task) else { return }
            if let issues, try await withRetries({ try await issues.deliver(event, origin: origin, statusMessage: statusMessage, channel: channel) }) { return }
            if !event.isTerminal {
                guard let statusMessage else { return }
                var shown: String? = ResultRenderer.render(event)
                if let sessions, let line = shown { shown = try await sessions.progressText(for: event, line: line) }
                guard let text = shown else { return }
                try await withRetries { try await channel.update(statusMessage, with: text, at: origin) }
                return
            }
            let text = ResultRenderer.render(event)
            // The result is read (once) only when it can matter: `posted` on GitHub, a `files` list anywhere.
            let result = event.type == "task.completed" && (origin.channel == "github" || event.payload.contains(#""files""#))
                ? try? JSONValue(parsing: event.payload) : nil
            if origin.channel == "github", result?["posted"]?.boolValue == true {
                return  // the agent showed its result where it was asked (a review on the pull request itself)
            }
            for chunk in ResultRenderer.split(text, limit: 4000) {
                _ = try await withRetries { try await channel.send(chunk, to: origin) }
            }
            if let listed = result?["files"] { try await sendFiles(listed, via: channel, to: origin) }
            if event.type == "task.completed", let conversation = event.conversation {
                try await conversations.append(conversation, role: "assistant", text: text)
            }
        } catch {
            logger.error("could not deliver a task event", metadata: ["task": "\(event.task)", "event": "\(event.type)", "error": "\(error)"])
        }
    }

    /// The files a result hands back (its `files` list of `{id, name, media_type, size}`), each sent as a file; one that
    /// has expired from the store is named instead.
    private func sendFiles(_ listed: JSONValue, via channel: any ChatChannel, to origin: Origin) async throws {
        guard let references = try? listed.decode(as: [StoredFile].self) else { return }
        for reference in references {
            guard let (file, bytes) = try await files.get(reference.id) else {
                _ = try await withRetries { try await channel.send("\(reference.name) is no longer kept.", to: origin) }
                continue
            }
            try await withRetries { try await channel.sendFile(file, bytes: bytes, caption: nil, to: origin) }
        }
    }

    /// The task's origin once the chat's acknowledgement is recorded, waiting up to `ackWait` for it (the agent can
    /// finish before the gateway has sent "working on it"); after that the event goes out anyway.
    private func waitForAck(_ task: String) async throws -> (Origin, String?)? {
        let deadline = ContinuousClock.now + ackWait
        while true {
            guard let (origin, statusMessage, pending) = try await origins.lookup(task) else { return nil }
            if !pending || ContinuousClock.now >= deadline { return (origin, statusMessage) }
            try await Task.sleep(for: .milliseconds(25))
        }
    }

    private func withRetries<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        var backoff = Backoff(initial: .milliseconds(200), maximum: .seconds(10))
        for attempt in 1...6 {
            do {
                return try await body()
            } catch ChannelError.rateLimited(let wait) where attempt < 6 {
                try await Task.sleep(for: wait)
            } catch ChannelError.transient(let why) where attempt < 6 {
                logger.warning("chat delivery failed; retrying", metadata: ["error": "\(why)", "attempt": "\(attempt)"])
                try await Task.sleep(for: backoff.next())
            }
        }
        throw ChannelError.transient("gave up after 6 attempts")
    }
}
