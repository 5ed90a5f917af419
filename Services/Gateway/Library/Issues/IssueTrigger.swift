import Foundation
import AgentBase

/// What an `issues` delivery asks of Switchboard, read from the payload alone: `labeled` with the trigger label,
/// `assigned` to the bot, or `opened` with a mention of the bot in the body.
enum IssueTrigger {
    /// An issue someone asked Switchboard to implement.
    struct Request: Sendable, Hashable {
        var repo: String
        var number: Int
        var title: String
        var body: String
        /// Who asked: the event's `sender`, or the issue's author for `opened`.
        var actor: String
        /// The author's `author_association` for `opened`; nil for `labeled` and `assigned`, whose actor's
        /// permission on the repository is asked of the forge.
        var association: String?
        var action: String
    }

    /// Start, or why not.
    enum Decision: Sendable, Hashable {
        case start(Request)
        case ignore(String)
    }

    /// Reads the delivery; a delivery without `issue.number` is a bad request.
    static func decide(_ payload: JSONValue, repo: String, triggerLabel: String, botName: String) throws(APIError) -> Decision {
        guard let issue = payload["issue"], let number = issue["number"]?.intValue else {
            throw APIError.badRequest("an issues delivery without issue.number")
        }
        let action = payload["action"]?.stringValue ?? ""
        guard issue["pull_request"] == nil else { return .ignore("issues \(action) on a pull request") }
        let sender = payload["sender"]?["login"]?.stringValue ?? ""
        guard payload["sender"]?["type"]?.stringValue != "Bot" else { return .ignore("issues \(action) by a bot") }
        let title = issue["title"]?.stringValue ?? ""
        let body = issue["body"]?.stringValue ?? ""
        switch action {
        case "labeled":
            guard payload["label"]?["name"]?.stringValue?.lowercased() == triggerLabel.lowercased() else { return .ignore("issues labeled with another label") }
            return .start(Request(repo: repo, number: number, title: title, body: body, actor: sender, association: nil, action: action))
        case "assigned":
            guard payload["assignee"]?["login"]?.stringValue?.lowercased() == botName.lowercased() else { return .ignore("issues assigned to someone else") }
            return .start(Request(repo: repo, number: number, title: title, body: body, actor: sender, association: nil, action: action))
        case "opened":
            guard body.range(of: "@\(botName)", options: .caseInsensitive) != nil else { return .ignore("issues opened without a mention") }
            let author = issue["user"]?["login"]?.stringValue ?? sender
            return .start(Request(repo: repo, number: number, title: title, body: body, actor: author, association: issue["author_association"]?.stringValue ?? "NONE", action: action))
        default:
            return .ignore("issues \(action)")
        }
    }

    /// Repository permissions that may start work by labelling or assigning.
    static let writers: Set<String> = ["admin", "maintain", "write"]
}
