import AgentBase
import Foundation

/// The web chat's conversations: per client an inbox (`sb:web:inbox:<client>`, hash id → `{id, title, created_at}` JSON)
/// and per conversation its messages (`sb:web:chat:<id>`, a list of `{role, text, at}` JSON, oldest first).
public struct WebConversations: Sendable {
    let redis: RedisConnection
    let keys: KeySpace
    /// How long an untouched conversation is kept.
    static let ttl: Duration = .seconds(30 * 86_400)
    /// The most messages a conversation shows.
    static let shown = 100

    /// One conversation of the inbox.
    struct Conversation: Codable, Sendable {
        var id: String
        var title: String
        var createdAt: String

        enum CodingKeys: String, CodingKey {
            case id, title
            case createdAt = "created_at"
        }
    }

    func inbox(_ client: String) -> String { "\(keys.prefix):web:inbox:\(client)" }
    func messages(_ id: String) -> String { "\(keys.prefix):web:chat:\(id)" }

    /// The client's conversations, newest first.
    func list(_ client: String) async throws -> [Conversation] {
        let reply = try await redis.send(["HGETALL", inbox(client)])
        let items = reply.array ?? []
        return stride(from: 0, to: items.count - 1, by: 2).compactMap { index -> Conversation? in
            guard let id = items[index].string, let json = items[index + 1].string,
                  var conversation = try? JSONDecoder().decode(Conversation.self, from: Data(json.utf8)) else { return nil }
            conversation.id = id
            return conversation
        }.sorted { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) }
    }

    func create(_ client: String, title: String?) async throws -> Conversation {
        let conversation = Conversation(id: RandomText.base64url(bytes: 9), title: title.flatMap { $0.isEmpty ? nil : $0 } ?? "New conversation", createdAt: ISO8601.now())
        try await save(client, conversation)
        return conversation
    }

    func get(_ client: String, _ id: String) async throws -> Conversation? {
        try await list(client).first { $0.id == id }
    }

    func rename(_ client: String, _ id: String, title: String) async throws -> Conversation? {
        guard var conversation = try await get(client, id) else { return nil }
        conversation.title = title
        try await save(client, conversation)
        return conversation
    }

    /// Whether there was such a conversation.
    func delete(_ client: String, _ id: String) async throws -> Bool {
        let replies = try await redis.pipeline([["HDEL", inbox(client), id], ["DEL", messages(id)]])
        return replies[0].int == 1
    }

    /// The last `shown` messages, oldest first.
    func messages(of id: String) async throws -> [JSONValue] {
        let reply = try await redis.send(["LRANGE", messages(id), String(-Self.shown), "-1"])
        return (reply.array ?? []).compactMap { $0.string.flatMap { try? JSONValue(parsing: $0) } }
    }

    /// Appends a message; returns its index (for `replace`).
    @discardableResult
    func append(_ id: String, role: String, text: String) async throws -> Int {
        let replies = try await redis.pipeline([
            ["RPUSH", messages(id), ConversationStore.entry(role: role, text: text)], ["PEXPIRE", messages(id), String(Self.ttl.milliseconds)],
        ])
        return (replies[0].int ?? 1) - 1
    }

    func replace(_ id: String, at index: Int, text: String) async throws {
        _ = try await redis.send(["LSET", messages(id), String(index), ConversationStore.entry(role: "assistant", text: text)])
    }

    private func save(_ client: String, _ conversation: Conversation) async throws {
        let json = JSONValue.object(["id": .string(conversation.id), "title": .string(conversation.title), "created_at": .string(conversation.createdAt)]).jsonString
        _ = try await redis.pipeline([["HSET", inbox(client), conversation.id, json], ["PEXPIRE", inbox(client), String(Self.ttl.milliseconds)]])
    }
}
