import AgentBase
import Logging
import ServiceLifecycle

/// Long-polls `getUpdates`; the offset lives in Redis (`sb:telegram:offset`) so a restart neither loses nor repeats updates.
public struct TelegramPoller: Service {
    let client: TelegramClient
    let front: TelegramFront
    let redis: RedisConnection
    let keys: KeySpace
    let logger: Logger
    /// Seconds Telegram holds a poll open.
    var pollTimeout = 25

    public init(client: TelegramClient, front: TelegramFront, redis: RedisConnection, keys: KeySpace, logger: Logger, pollTimeout: Int = 25) {
        self.client = client
        self.front = front
        self.redis = redis
        self.keys = keys
        self.logger = logger
        self.pollTimeout = pollTimeout
    }

    var offsetKey: String { keys.telegramOffset }

    public func run() async throws {
        await cancelWhenGracefulShutdown { await self.loop() }
    }

    private func loop() async {
        var backoff = Backoff(initial: .milliseconds(500), maximum: .seconds(30))
        while !Task.isCancelled {
            do {
                let offset = try await redis.send(["GET", offsetKey]).int ?? 0
                let updates = try await client.call("getUpdates", [
                    "offset": .number(Double(offset)), "timeout": .number(Double(pollTimeout)), "allowed_updates": ["message", "callback_query"],
                ], timeout: .seconds(pollTimeout + 10))
                for update in updates.arrayValue ?? [] {
                    guard let id = update["update_id"]?.intValue else { continue }
                    do {
                        try await front.handle(update: update)
                    } catch ChannelError.permanent(let why) {
                        logger.error("could not answer a Telegram update; skipping it", metadata: ["update": "\(id)", "error": "\(why)"])
                    }
                    // Any other error leaves the offset where it is: the update comes again with the next poll.
                    try await redis.send(["SET", offsetKey, String(id + 1)])
                }
                backoff.reset()
            } catch ChannelError.rateLimited(let wait) {
                try? await Task.sleep(for: wait)
            } catch {
                if Task.isCancelled { return }
                logger.warning("Telegram polling failed; retrying", metadata: ["error": "\(error)", "pause": "\(backoff.current)"])
                try? await Task.sleep(for: backoff.next())
            }
        }
    }
}
