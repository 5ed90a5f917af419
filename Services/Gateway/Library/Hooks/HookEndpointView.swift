import AgentBase
import Workflows

/// A webhook endpoint as `GET /v1/webhooks` shows it: never a secret, only the variable that holds it.
struct HookEndpointView: Encodable {
    var name: String
    var path: String
    var description: String
    /// `hmac_sha256`, `token`, or nil (every delivery refused).
    var verification: String?
    var header: String?
    var secretVariable: String?
    var identity: String
    var role: String
    var rules: [Rule]

    /// One rule: what it does and where it answers.
    struct Rule: Encodable {
        var name: String
        var conditions: Int
        var action: String
        var chat: String?
    }

    enum CodingKeys: String, CodingKey {
        case name, path, description, verification, header, identity, role, rules
        case secretVariable = "secret_variable"
    }

    init(_ endpoint: HookEndpoint) {
        name = endpoint.name
        path = "/webhooks/hooks/\(endpoint.name)"
        description = endpoint.description
        switch endpoint.verification {
        case .hmacSHA256?: verification = "hmac_sha256"
        case .token?: verification = "token"
        case nil: verification = nil
        }
        header = endpoint.verification?.header
        secretVariable = endpoint.verification?.secretVariable
        identity = endpoint.identity
        role = endpoint.role.rawValue
        rules = endpoint.rules.map { rule in
            let action = switch rule.action {
            case .message(let type, _)?: "message \(type)"
            case .workflow(let name, _)?: "workflow \(name)"
            case nil: "notify"
            }
            return Rule(name: rule.name, conditions: rule.conditions.count, action: rule.notify != nil && rule.action != nil ? "\(action) + notify" : action, chat: rule.chat)
        }
    }
}
