import AgentBase

/// One endpoint of `webhooks.yaml`: `POST /webhooks/hooks/<name>`, how its deliveries are verified, the role its
/// identity (`hook:<name>`) holds, and its rules, tried in order.
public struct HookEndpoint: Sendable, Hashable {
    public var name: String
    public var description: String
    /// Nil when the file configures none: every delivery is refused.
    public var verification: HookVerification?
    /// The role of `hook:<name>` (default `operator`); `Registry/access.yaml` can override it like any identity's.
    public var role: Role
    public var rules: [HookRule]

    public init(name: String, description: String = "", verification: HookVerification?, role: Role = .operator, rules: [HookRule]) {
        self.name = name
        self.description = description
        self.verification = verification
        self.role = role
        self.rules = rules
    }

    /// The identity tasks of this endpoint run as.
    public var identity: String { "hook:\(name)" }

    /// The first rule whose conditions all hold, rendered for this request; nil when no rule matches.
    public func plan(body: JSONValue, headers: [String: String]) throws(TemplateError) -> HookPlan? {
        guard let rule = rules.first(where: { rule in rule.conditions.allSatisfy { $0.holds(body: body, headers: headers) } }) else { return nil }
        let scope: JSONValue = .object([
            "body": body, "headers": .object(headers.mapValues(JSONValue.string)),
            "hook": .object(["name": .string(name), "rule": .string(rule.name)]),
        ])
        let action: HookPlan.Action? = switch rule.action {
        case .message(let type, let payload)?: .message(type: type, payload: try payload.render(scope))
        case .workflow(let workflow, let inputs)?: .workflow(name: workflow, inputs: try inputs.render(scope))
        case nil: nil
        }
        let key = try rule.idempotencyKey?.render(scope).text
        let notice = try rule.notify?.render(scope).text
        return HookPlan(rule: rule.name, action: action, notice: notice, idempotencyKey: key?.isEmpty == false ? key : nil, chat: rule.chat)
    }
}

/// How an endpoint checks that a delivery comes from its sender.
public enum HookVerification: Sendable, Hashable {
    /// HMAC-SHA256 of the raw body in hex (after an optional `prefix` such as `sha256=`) in `header`, keyed with the
    /// secret in the environment variable `secret` (or `<secret>_FILE`).
    case hmacSHA256(header: String, secret: String, prefix: String)
    /// The secret itself in `header` (Sentry-, GitLab-style shared tokens).
    case token(header: String, secret: String)

    /// The environment variable holding the secret.
    public var secretVariable: String {
        switch self {
        case .hmacSHA256(_, let secret, _), .token(_, let secret): secret
        }
    }

    /// The header carrying the signature or token.
    public var header: String {
        switch self {
        case .hmacSHA256(let header, _, _), .token(let header, _): header
        }
    }
}

/// One rule: conditions that must all hold, then a task (a message or a workflow run), a chat notice, or both.
public struct HookRule: Sendable, Hashable {
    /// The task a matching delivery starts.
    public enum Action: Sendable, Hashable {
        /// Publish a message of `type` (to the agent consuming it) with the rendered payload.
        case message(type: String, payload: TemplateValue)
        /// Run a workflow (`workflow.run`) with the rendered inputs.
        case workflow(name: String, inputs: TemplateValue)
    }

    public var name: String
    public var conditions: [HookCondition]
    /// Nil for a rule that only notifies.
    public var action: Action?
    /// Text sent to `chat` (with a task: as its acknowledgement, which progress then edits).
    public var notify: Template?
    /// Deliveries whose key renders the same are acted on once; nil: the raw body is the key.
    public var idempotencyKey: Template?
    /// Where the notice, acknowledgement and result go (`telegram:<chat>`, `slack:<team>/<channel>`); required with `notify`.
    public var chat: String?

    public init(name: String, conditions: [HookCondition], action: Action?, notify: Template? = nil, idempotencyKey: Template? = nil, chat: String? = nil) {
        self.name = name
        self.conditions = conditions
        self.action = action
        self.notify = notify
        self.idempotencyKey = idempotencyKey
        self.chat = chat
    }
}

/// What one delivery does: the matching rule's action rendered for it.
public struct HookPlan: Sendable, Hashable {
    /// A rendered task.
    public enum Action: Sendable, Hashable {
        case message(type: String, payload: JSONValue)
        case workflow(name: String, inputs: JSONValue)
    }

    public var rule: String
    public var action: Action?
    /// The rendered chat notice.
    public var notice: String?
    public var idempotencyKey: String?
    public var chat: String?
}
