import AgentBase
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOFoundationEssentialsCompat
import Workflows

/// `POST /webhooks/hooks/{name}`: the endpoints of `webhooks.yaml`. A delivery is verified (unknown endpoint 404, no
/// verification configured or its secret unset: refused with 401, missing or wrong signature 401), its body read as a
/// JSON object (else 400), its first matching rule rendered, and the action taken once per idempotency key as the
/// identity `hook:<name>` with the endpoint's role, through the same task path and rate limits as chat.
public struct HookFront: Sendable {
    let catalogue: HookCatalogue
    /// Secrets by environment variable, read at start (`NAME` or `NAME_FILE`).
    let secrets: [String: String]
    let chat: ChatService
    let seen: SeenMarkers
    let workflowCommands: [String: Permission]
    let logger: Logger

    public init(catalogue: HookCatalogue, environment: SwitchboardEnvironment, chat: ChatService, seen: SeenMarkers, logger: Logger) throws {
        var secrets: [String: String] = [:]
        for endpoint in catalogue.endpoints {
            guard let variable = endpoint.verification?.secretVariable else { continue }
            if let secret = try environment.secret(variable), !secret.isEmpty { secrets[variable] = secret }
        }
        self.catalogue = catalogue
        self.secrets = secrets
        self.chat = chat
        self.seen = seen
        var commands: [String: Permission] = [:]
        for command in chat.router.registry.agents.flatMap(\.commands) {
            if let workflow = command.workflow, let permission = command.permission { commands[workflow] = permission }
        }
        self.workflowCommands = commands
        self.logger = logger
    }

    /// What a delivery became, for the sender's 2xx answer.
    struct Outcome: Sendable, Hashable {
        var outcome: String
        var rule: String?
        var task: String?

        var json: [String: JSONValue] {
            var object: [String: JSONValue] = ["outcome": .string(outcome)]
            if let rule { object["rule"] = .string(rule) }
            if let task { object["task"] = .string(task) }
            return object
        }
    }

    func handle(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let name = context.parameters.get("name") ?? ""
        guard let endpoint = catalogue.endpoint(named: name) else { throw APIError.notFound("no webhook endpoint '\(name)' in \(catalogue.path)") }
        guard let verification = endpoint.verification else {
            throw APIError(.unauthorized, "unverified_endpoint", "endpoint '\(name)' has no verification configured in \(catalogue.path): deliveries are refused")
        }
        guard let secret = secrets[verification.secretVariable] else {
            throw APIError(.unauthorized, "unauthorized", "\(verification.secretVariable) is not set: deliveries to '\(name)' are refused")
        }
        guard let headerName = HTTPField.Name(verification.header), let presented = request.headers[headerName], !presented.isEmpty else {
            throw APIError(.unauthorized, "unauthorized", "missing \(verification.header)")
        }
        let body = Data(buffer: try await request.body.collect(upTo: 5 << 20))
        guard HookSignature.verify(verification, presented: presented, body: body, secret: secret) else {
            throw APIError(.unauthorized, "unauthorized", "wrong \(verification.header)")
        }
        guard let payload = try? JSONValue(parsing: body), payload.objectValue != nil else { throw APIError.badRequest("the body is not a JSON object") }
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName.lowercased()] = field.value }
        let outcome = try await deliver(endpoint, body: payload, raw: body, headers: headers)
        return try JSONResponse.make(outcome.task == nil ? .ok : .accepted, outcome.json)
    }

    /// Matches, dedupes and acts on one verified delivery.
    func deliver(_ endpoint: HookEndpoint, body: JSONValue, raw: Data, headers: [String: String]) async throws -> Outcome {
        let plan: HookPlan?
        do {
            plan = try endpoint.plan(body: body, headers: headers)
        } catch {
            throw APIError(.unprocessableContent, "template_failed", "a rule of '\(endpoint.name)' could not be rendered for this body: \(error.message)")
        }
        guard let plan else { return Outcome(outcome: "no rule matched") }
        let key = plan.idempotencyKey ?? String(decoding: raw, as: UTF8.self)
        let digest = SHA256.hash(data: Data("\(plan.rule)\n\(key)".utf8)).prefix(12).map { String(format: "%02x", $0) }.joined()
        guard try await seen.claim("hook", endpoint.name, digest) else { return Outcome(outcome: "duplicate, ignored", rule: plan.rule) }
        do {
            return try await act(plan, endpoint: endpoint, task: "hook-\(endpoint.name)-\(digest)")
        } catch {
            await seen.release("hook", endpoint.name, digest)
            throw error
        }
    }

    private func act(_ plan: HookPlan, endpoint: HookEndpoint, task: String) async throws -> Outcome {
        let destination = plan.chat.flatMap(HookDestination.init)
        let origin = destination.map { Origin(channel: $0.channel, chat: $0.chat) } ?? Origin(channel: "hook", chat: endpoint.name)
        let channel = chat.channels[origin.channel]
        if destination != nil, channel == nil {
            throw APIError(.serviceUnavailable, "channel_unavailable", "rule '\(plan.rule)' sends to \(origin.channel), which this gateway does not have configured")
        }
        guard let action = plan.action else {
            do {
                _ = try await channel?.send(plan.notice ?? "", to: origin)
            } catch {
                throw APIError(.badGateway, "chat_failed", "rule '\(plan.rule)' could not send its notice to \(origin.channel): \(error)")
            }
            return Outcome(outcome: "notified \(origin.channel):\(origin.chat)", rule: plan.rule)
        }
        let (type, payload): (String, JSONValue) = switch action {
        case .message(let type, let payload): (type, payload)
        case .workflow(let name, let inputs): (WorkflowRunRequest.type, .object(["workflow": .string(name), "inputs": inputs]))
        }
        let role = chat.access.role(of: endpoint.identity, passedGate: false, channelRole: endpoint.role) ?? .viewer
        let needed: Permission = if case .workflow(let name, _) = action { workflowCommands[name] ?? .admin } else { chat.router.registry.permission(for: type, payload: payload) }
        guard role.allows(needed) else {
            throw APIError(.forbidden, "forbidden", "\(endpoint.identity) is \(role.withArticle); rule '\(plan.rule)' needs \(needed.rawValue) permission (set the endpoint's role or grant it in access.yaml)")
        }
        if let refusal = chat.repositories.refusal(type: type, payload: payload) {
            throw APIError(.forbidden, "forbidden_repository", refusal.message)
        }
        if let wait = try await chat.rateLimit(user: endpoint.identity, channel: "hook") {
            throw APIError(.tooManyRequests, "rate_limited", "\(endpoint.identity) reached its rate limit", retryAfter: wait)
        }
        let agent: AgentEntry
        switch chat.target(of: type, payload: payload) {
        case .success(let found): agent = found
        case .failure(let refusal): throw APIError(.unprocessableContent, "invalid_payload", refusal.text)
        }
        let reply = try await chat.publish(
            type: type, to: agent, payload: payload, origin: origin, text: "\(endpoint.identity) rule \(plan.rule)",
            requester: endpoint.identity, task: task, awaitingAck: channel != nil
        )
        if let published = reply.task, let channel {
            let notice = plan.notice.map { "\($0)\n\n" } ?? ""
            do {
                let sent = try await channel.send("\(notice)\(endpoint.name): \(plan.rule) — working on it (task \(published)).", to: origin)
                try await chat.remember(statusMessage: sent, for: published, origin: origin)
            } catch {
                await chat.origins.abandonAck(published)
                logger.error("could not acknowledge a webhook task in chat", metadata: ["task": "\(published)", "error": "\(error)"])
            }
        }
        return Outcome(outcome: reply.task == nil ? "task exists already" : "published", rule: plan.rule, task: reply.task ?? task)
    }
}
