import AgentBase
import Foundation

/// What a chat message asks for.
public enum ChatAction: Sendable, Hashable {
    /// Publish this message (a registry command, or plain chat as `chat.message`).
    case publish(type: String, payload: JSONValue)
    /// Answer at once with this text (help, usage, unknown command); nothing is published.
    case reply(String)
    /// `/status <task>`.
    case status(task: String)
    /// `/cancel <task>`.
    case cancel(task: String)
    /// `/agents`.
    case agents
    /// `/approve <id>` or `/deny <id>`.
    case decide(approval: String, approve: Bool)
    /// `/session [<repo> [base]]`: bind the conversation to a repository, or show its session.
    case session(arguments: [String])
    /// `/end`: end the conversation's coding session.
    case endSession
    /// `/stop`: cancel the coding session's running turn.
    case stopTurn
    /// `/verbose 0|1|2`: how much of a turn's work the coding session shows.
    case verbosity(Int)
    /// `/diff`, `/undo` or `/pr [title…]` in a coding session.
    case sessionCommand(SessionCommandRequest.Command, title: String?)
}

/// Turns chat text into an action, the same way for every channel. Commands and their usage come
/// from the registry; arguments fill the payload fields they are named after, typed by the schema.
public struct ChatRouter: Sendable {
    public let registry: AgentRegistry
    public let schemas: SchemaLibrary?
    /// Web base of the forge for `owner/repo` shorthands (`https://github.com`).
    public let forgeWebURL: String
    /// Base branch for `/create-pr` when none is given.
    public let defaultBase: String

    static let builtins: [(name: String, usage: String, description: String)] = [
        ("status", "/status <task>", "Show a task's state."),
        ("cancel", "/cancel <task>", "Cancel a task."),
        ("agents", "/agents", "List the agents and how many instances are live."),
        ("approve", "/approve <id>", "Approve a request that needs an admin (admins only)."),
        ("deny", "/deny <id>", "Deny a request that needs an admin (admins only)."),
        ("session", "/session [<owner/repo | clone URL> [base]]", "Make this conversation a coding session on a repository (plain messages become turns), or show it."),
        ("end", "/end", "End this conversation's coding session (its branch stays)."),
        ("diff", "/diff", "Show the coding session's branch against its base."),
        ("undo", "/undo", "Revert the coding session's last turn and push."),
        ("pr", "/pr [title…]", "Open the coding session's pull request (or show the open one)."),
        ("stop", "/stop", "Cancel the coding session's running turn (what it wrote is not committed)."),
        ("verbose", "/verbose 0|1|2", "How much of a turn's work the coding session shows: the reply only, a status line, every step."),
        ("help", "/help", "This list."),
    ]

    public init(registry: AgentRegistry, schemas: SchemaLibrary?, forgeWebURL: String = "https://github.com", defaultBase: String = "main") {
        self.registry = registry
        self.schemas = schemas
        self.forgeWebURL = forgeWebURL.hasSuffix("/") ? String(forgeWebURL.dropLast()) : forgeWebURL
        self.defaultBase = defaultBase
    }

    public func route(_ text: String) -> ChatAction {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.hasPrefix("/") else {
            if trimmed.isEmpty { return .reply(help) }
            return .publish(type: ChatMessageRequest.type, payload: .object(["text": .string(trimmed)]))
        }
        let words = trimmed.split(whereSeparator: \.isWhitespace).map(String.init)
        // `/review@mybot` in Telegram groups names the bot after the command.
        let name = String(words[0].dropFirst().split(separator: "@").first ?? "").lowercased()
        let arguments = Array(words.dropFirst())
        switch name {
        case "help", "start": return .reply(help)
        case "agents": return .agents
        case "status", "cancel":
            guard arguments.count == 1 else { return .reply("Usage: /\(name) <task>") }
            return name == "status" ? .status(task: arguments[0]) : .cancel(task: arguments[0])
        case "approve", "deny":
            guard arguments.count == 1 else { return .reply("Usage: /\(name) <id>") }
            return .decide(approval: arguments[0], approve: name == "approve")
        case "session":
            guard arguments.count <= 2 else { return .reply("Usage: /session [<owner/repo | clone URL> [base]]") }
            return .session(arguments: arguments)
        case "end": return .endSession
        case "stop": return .stopTurn
        case "verbose":
            guard arguments.count == 1, let level = Int(arguments[0]), (0...2).contains(level) else { return .reply("Usage: /verbose 0|1|2") }
            return .verbosity(level)
        case "diff", "undo":
            guard arguments.isEmpty, let command = SessionCommandRequest.Command(rawValue: name) else { return .reply("Usage: /\(name)") }
            return .sessionCommand(command, title: nil)
        case "pr": return .sessionCommand(.pr, title: arguments.isEmpty ? nil : arguments.joined(separator: " "))
        default:
            guard let (_, command) = registry.command(named: name) else {
                return .reply("Unknown command /\(name). " + help)
            }
            guard let payload = payload(for: command, arguments: arguments) else {
                return .reply("Usage: \(command.usage)")
            }
            return .publish(type: command.message, payload: payload)
        }
    }

    /// The registry command a chat text invokes, if it invokes one (its permission may differ from its message's).
    public func command(in text: String) -> CommandSpec? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.hasPrefix("/"), let first = trimmed.split(whereSeparator: \.isWhitespace).first else { return nil }
        return registry.command(named: String(first.dropFirst().split(separator: "@").first ?? "").lowercased())?.command
    }

    /// Usage of every command, from the registry.
    public var help: String {
        var lines = ["Commands:"]
        for agent in registry.agents {
            for command in agent.commands { lines.append("\(command.usage) — \(command.description)") }
        }
        for builtin in Self.builtins { lines.append("\(builtin.usage) — \(builtin.description)") }
        lines.append("Anything else is plain chat with the assistant.")
        return lines.joined(separator: "\n")
    }

    // MARK: Arguments to payloads

    private func payload(for command: CommandSpec, arguments: [String]) -> JSONValue? {
        if let workflow = command.workflow { return workflowPayload(workflow, command, arguments: arguments) }
        switch command.message {
        case PRReviewRequest.type, PRDescribeRequest.type, PRImproveRequest.type: return reviewPayload(arguments)
        case CodeWriteRequest.type: return createPRPayload(arguments)
        case WorkflowRunRequest.type: return runPayload(arguments)
        default: return genericPayload(command, arguments: arguments)
        }
    }

    /// `/review <owner/repo> <n>` or `/review <PR URL>` (and the same for `/describe` and `/improve`); a last word
    /// `post` posts the outcome on the pull request itself (a review, the description comment, suggestion blocks).
    private func reviewPayload(_ arguments: [String]) -> JSONValue? {
        var arguments = arguments
        let post = arguments.count > 1 && arguments.last?.lowercased() == "post"
        if post { arguments.removeLast() }
        var payload: [String: JSONValue]
        if arguments.count == 1, let url = URL(string: arguments[0]), url.scheme?.hasPrefix("http") == true {
            let parts = url.path.split(separator: "/").map(String.init)
            guard parts.count >= 4, parts[parts.count - 2] == "pull" || parts[parts.count - 2] == "pulls", let number = Int(parts.last!) else { return nil }
            payload = ["repo": .string("\(parts[parts.count - 4])/\(parts[parts.count - 3])"), "number": .number(Double(number))]
        } else {
            guard arguments.count == 2, arguments[0].split(separator: "/").count == 2, let number = Int(arguments[1].trimmingCharacters(in: ["#"])), number > 0 else { return nil }
            payload = ["repo": .string(arguments[0]), "number": .number(Double(number))]
        }
        if post { payload["post"] = true }
        return .object(payload)
    }

    /// A pull-request command said in a comment on a pull request, without naming one, means that pull request:
    /// `/review` → `/review <repo> <number> post` (posted there), `/ask <question>` → `/ask <repo> <number> <question>`.
    public static func onPullRequest(_ request: String, repo: String, number: Int) -> String {
        let words = request.split(separator: " ", maxSplits: 1).map(String.init)
        guard let command = words.first?.lowercased(), ["/review", "/describe", "/improve", "/ask"].contains(command) else { return request }
        let rest = words.count > 1 ? words[1].trimmingCharacters(in: .whitespaces) : ""
        let first = rest.split(separator: " ").first.map(String.init) ?? ""
        if first.hasPrefix("http") || first.split(separator: "/").count == 2 { return request }  // it names a pull request itself
        if command == "/ask" { return rest.isEmpty ? request : "/ask \(repo) \(number) \(rest)" }
        return "\(command) \(repo) \(number) post"
    }

    /// `/create-pr <owner/repo or clone URL> <spec…>` straight to `code.write`.
    private func createPRPayload(_ arguments: [String]) -> JSONValue? {
        guard arguments.count >= 2, let repoURL = cloneURL(arguments[0]) else { return nil }
        return .object([
            "repo_url": .string(repoURL), "base": .string(defaultBase), "spec": .string(arguments.dropFirst().joined(separator: " ")), "open_pr": .bool(true),
        ])
    }

    /// A clone URL from a clone URL, a local path or `owner/repo` on the forge.
    private func cloneURL(_ repo: String) -> String? {
        if repo.contains("://") || repo.hasPrefix("/") { return repo }
        return repo.split(separator: "/").count == 2 ? "\(forgeWebURL)/\(repo).git" : nil
    }

    /// A command bound to a workflow (`workflow:` in the registry): positional arguments become the inputs named after
    /// them (the last takes the rest of the line when the usage ends in `…>`); `repo_url` also takes `owner/repo`.
    private func workflowPayload(_ workflow: String, _ command: CommandSpec, arguments: [String]) -> JSONValue? {
        guard case .object(var inputs)? = genericPayload(command, arguments: arguments) else { return nil }
        if let repo = inputs["repo_url"]?.stringValue {
            guard let url = cloneURL(repo) else { return nil }
            inputs["repo_url"] = .string(url)
        }
        return .object(["workflow": .string(workflow), "inputs": .object(inputs)])
    }

    /// `/run <workflow> [name=value …]`: a word without `=` continues the previous value (`spec=Add a flag`), and a
    /// value that reads as JSON (`3`, `true`, `["swift","test"]`) keeps its type.
    private func runPayload(_ arguments: [String]) -> JSONValue? {
        guard let workflow = arguments.first, !workflow.contains("=") else { return nil }
        var pairs: [(name: String, value: String)] = []
        for argument in arguments.dropFirst() {
            if let equals = argument.firstIndex(of: "="), equals > argument.startIndex {
                pairs.append((String(argument[..<equals]), String(argument[argument.index(after: equals)...])))
            } else if !pairs.isEmpty {
                pairs[pairs.count - 1].value += " " + argument
            } else {
                return nil
            }
        }
        let inputs = Dictionary(pairs.map { ($0.name, (try? JSONValue(parsing: $0.value)) ?? .string($0.value)) }, uniquingKeysWith: { _, last in last })
        return .object(["workflow": .string(workflow), "inputs": .object(inputs)])
    }

    /// Positional arguments fill the fields they are named after; a usage ending in `…` gives the last one the rest of the line.
    private func genericPayload(_ command: CommandSpec, arguments: [String]) -> JSONValue? {
        let required = command.arguments.filter(\.required).count
        let greedy = command.usage.hasSuffix("…>") || command.usage.hasSuffix("...>")
        guard arguments.count >= required, greedy || arguments.count <= command.arguments.count else { return nil }
        let properties = schemas?.schema(named: command.message)?.json["properties"]
        var fields: [String: JSONValue] = [:]
        for (index, spec) in command.arguments.enumerated() where index < arguments.count {
            let isLast = index == command.arguments.count - 1
            let text = greedy && isLast ? arguments.dropFirst(index).joined(separator: " ") : arguments[index]
            guard let value = Self.typed(text, as: properties?[spec.name]?["type"]?.stringValue) else { return nil }
            fields[spec.name] = value
        }
        return .object(fields)
    }

    static func typed(_ text: String, as type: String?) -> JSONValue? {
        switch type {
        case "integer": return Int(text).map { .number(Double($0)) }
        case "number": return Double(text).map(JSONValue.number)
        case "boolean":
            switch text.lowercased() {
            case "true", "yes", "force", "push": return .bool(true)
            case "false", "no": return .bool(false)
            default: return nil
            }
        default: return .string(text)
        }
    }
}
