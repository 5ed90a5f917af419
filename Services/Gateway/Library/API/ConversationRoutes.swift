import AgentBase
import Foundation
import Hummingbird
import NIOFoundationEssentialsCompat

/// `/v1/conversations`: the web chat's inbox (list, create, rename, delete) and its messages (read, send). Each
/// client sees only its own conversations; a message goes through the same `ChatService` as Telegram's and Slack's,
/// as `web:<token name>` (or `api:<token name>` with a bearer token) holding the token's role.
struct ConversationRoutes: Sendable {
    let conversations: WebConversations
    let chat: ChatService
    let channel: WebChannel

    func add(to group: RouterGroup<GatewayRequestContext>) {
        group.get("conversations", use: list)
        group.post("conversations", use: create)
        group.patch("conversations/{id}", use: rename)
        group.delete("conversations/{id}", use: delete)
        group.get("conversations/{id}/messages", use: messages)
        group.post("conversations/{id}/messages", use: send)
    }

    @Sendable func list(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        try context.require(.read)
        return try JSONResponse.make(.ok, try await conversations.list(client(context)))
    }

    @Sendable func create(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        try context.require(.read)
        let body = try await Self.object(request, required: false)
        let conversation = try await conversations.create(client(context), title: try Self.title(body, required: false))
        var response = try JSONResponse.make(.created, conversation)
        response.headers[.location] = "/v1/conversations/\(conversation.id)"
        return response
    }

    @Sendable func rename(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        try context.require(.read)
        let id = try context.parameters.require("id")
        let title = try Self.title(try await Self.object(request, required: true), required: true) ?? ""
        guard let conversation = try await conversations.rename(client(context), id, title: title) else { throw APIError.notFound("no conversation \(id)") }
        return try JSONResponse.make(.ok, conversation)
    }

    @Sendable func delete(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        try context.require(.read)
        let id = try context.parameters.require("id")
        guard try await conversations.delete(client(context), id) else { throw APIError.notFound("no conversation \(id)") }
        return Response(status: .noContent)
    }

    @Sendable func messages(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        try context.require(.read)
        let id = try await owned(context)
        return try JSONResponse.make(.ok, JSONValue.object(["conversation": .string(id), "messages": .array(try await conversations.messages(of: id))]))
    }

    /// Files one message may carry.
    static let maxFiles = 5

    /// Sends a message as the client would in a chat: the immediate answer comes back (and is kept in the
    /// conversation); a task's result arrives in the conversation when it ends. `files` (`[{name, media_type?,
    /// data}]`, `data` in base64) are uploads for a coding session's turn, each at most `SB_ATTACHMENT_MAX_BYTES`.
    @Sendable func send(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        try context.require(.read)
        let id = try await owned(context)
        let body = try await Self.object(request, required: true, limit: Self.maxFiles * (chat.attachments.maxBytes / 3 * 4 + 4) + 64 * 1024)
        let files = try Self.files(body["files"], maxBytes: chat.attachments.maxBytes)
        if let field = body["text"], !field.isNull, field.stringValue == nil { throw APIError.badRequest("'text' must be a string") }
        let text = body["text"]?.stringValue?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard text.count <= 20_000, !text.isEmpty || !files.isEmpty else {
            throw APIError.badRequest(#"the body must be {"text": "…"} with 1 to 20,000 characters, or carry files"#)
        }
        let client = try client(context)
        try await conversations.append(id, role: "user", text: text.isEmpty ? "(sent \(files.map(\.name).joined(separator: ", ")))" : text)
        let message = InboundMessage(origin: WebChannel.origin(client: client, conversation: id), user: client, text: text, trusted: true, channelRole: context.role, files: files)
        let reply = try await chat.answer(message, via: channel)
        var object: [String: JSONValue] = ["reply": .string(reply.text)]
        if let task = reply.task { object["task"] = .string(task) }
        if let approval = reply.approval { object["approval"] = .string(approval.id) }
        return try JSONResponse.make(.ok, JSONValue.object(object))
    }

    private func client(_ context: GatewayRequestContext) throws -> String {
        guard let client = context.client else { throw APIError(.unauthorized, "unauthorized", "no client") }
        return client
    }

    /// The conversation of the path, which must be the client's own.
    private func owned(_ context: GatewayRequestContext) async throws -> String {
        let id = try context.parameters.require("id")
        guard try await conversations.get(client(context), id) != nil else { throw APIError.notFound("no conversation \(id)") }
        return id
    }

    /// The uploads of a message: each `{name, media_type?, data}` with `data` in base64, at most `maxBytes` decoded.
    static func files(_ value: JSONValue?, maxBytes: Int) throws -> [IncomingFile] {
        guard let value, !value.isNull else { return [] }
        guard let items = value.arrayValue, items.count <= maxFiles else { throw APIError.badRequest("files must be a list of at most \(maxFiles) {name, media_type?, data}") }
        return try items.enumerated().map { index, item in
            guard let name = item["name"]?.stringValue, !name.isEmpty, let encoded = item["data"]?.stringValue, let data = Data(base64Encoded: encoded),
                  item["media_type"].map({ $0.isNull || $0.stringValue != nil }) ?? true else {
                throw APIError.badRequest("files[\(index)] must be {name, media_type?, data} with data in base64")
            }
            guard data.count <= maxBytes else {
                throw APIError(.contentTooLarge, "too_large", "files[\(index)] (\(name)) is \(data.count) bytes; at most \(maxBytes) (SB_ATTACHMENT_MAX_BYTES)")
            }
            return IncomingFile(name: name, mediaType: item["media_type"]?.stringValue, size: data.count, reference: "upload", bytes: Array(data))
        }
    }

    private static func object(_ request: Request, required: Bool, limit: Int = 64 * 1024) async throws -> JSONValue {
        let body = try await request.body.collect(upTo: limit)
        if body.readableBytes == 0, !required { return .object([:]) }
        guard let value = try? JSONValue(parsing: Data(buffer: body)), case .object = value else {
            throw APIError.badRequest("the body must be a JSON object")
        }
        return value
    }

    private static func title(_ body: JSONValue, required: Bool) throws -> String? {
        guard let field = body["title"], !field.isNull else {
            if required { throw APIError.badRequest(#"the body must be {"title": "…"}"#) }
            return nil
        }
        guard let title = field.stringValue?.trimmingCharacters(in: .whitespacesAndNewlines), !title.isEmpty, title.count <= 200 else {
            throw APIError.badRequest("'title' must be a string of 1 to 200 characters")
        }
        return title
    }
}
