import AgentBase
import Foundation

/// A conversation bound to a repository (`/session`): where its turns work, who bound it, and how its turns stand.
public struct SessionBinding: Sendable, Hashable, Encodable {
    public var conversation: String
    public var repoURL: String
    public var base: String
    /// `switchboard/session-<12 hex of sha256(conversation)>`.
    public var branch: String
    /// The identity that bound it.
    public var boundBy: String
    public var boundAt: Date
    /// The task of the turn running now.
    public var running: String?
    /// The task of the newest turn started.
    public var lastTask: String?
    public var lastTurnAt: Date?
    /// Turns started so far.
    public var turns: Int
    /// Turns waiting behind the running one.
    public var queued: Int
    /// How much of a turn's work its status message shows (`/verbose`): 0 nothing, 1 the latest step, 2 every step.
    public var verbosity: Int

    enum CodingKeys: String, CodingKey {
        case conversation
        case repoURL = "repo_url"
        case base
        case branch
        case boundBy = "bound_by"
        case boundAt = "bound_at"
        case running
        case lastTask = "last_task"
        case lastTurnAt = "last_turn_at"
        case turns
        case queued
        case verbosity
    }

    public init(conversation: String, repoURL: String, base: String, boundBy: String, boundAt: Date) {
        self.conversation = conversation
        self.repoURL = repoURL
        self.base = base
        self.branch = SessionBranch.name(conversation: conversation)
        self.boundBy = boundBy
        self.boundAt = boundAt
        self.turns = 0
        self.queued = 0
        self.verbosity = 1
    }

    /// The binding the hash `sb:session:<conversation>` holds (`fields`), nil when it holds none.
    init?(conversation: String, fields: [String: String], queued: Int) {
        guard let repoURL = fields["repo_url"], let base = fields["base"] else { return nil }
        self.init(conversation: conversation, repoURL: repoURL, base: base, boundBy: fields["bound_by"] ?? "", boundAt: Self.date(fields["bound_at"]) ?? Date(timeIntervalSince1970: 0))
        running = fields["running"].flatMap { $0.isEmpty ? nil : $0 }
        lastTask = fields["last_task"]
        lastTurnAt = Self.date(fields["last_turn_at"])
        turns = fields["turns"].flatMap { Int($0) } ?? 0
        verbosity = fields["verbosity"].flatMap { Int($0) } ?? 1
        self.queued = queued
    }

    /// The hash fields a new binding is written with.
    var fields: [String] {
        ["repo_url", repoURL, "base", base, "branch", branch, "bound_by", boundBy, "bound_at", Self.milliseconds(boundAt), "turns", "0"]
    }

    static func milliseconds(_ date: Date) -> String { String(Int(date.timeIntervalSince1970 * 1000)) }

    private static func date(_ text: String?) -> Date? {
        text.flatMap { Double($0) }.map { Date(timeIntervalSince1970: $0 / 1000) }
    }

    /// What `/session` answers: the repository and branch, the turns, the last one, and the conversation's model spend.
    func summary(spend: UsageTotals) -> String {
        var lines = [
            "Coding session on \(repoURL) (from \(base)), branch \(branch).",
            "Bound by \(boundBy) at \(ISO8601.string(boundAt)); \(turns) turn\(turns == 1 ? "" : "s") so far; verbosity \(verbosity).",
        ]
        if let running { lines.append("Running: task \(running)" + (queued > 0 ? ", \(queued) queued." : ".")) }
        if let lastTask, let lastTurnAt { lines.append("Last turn: task \(lastTask) at \(ISO8601.string(lastTurnAt)).") }
        lines.append(String(format: "Spend in this conversation: $%.4f (%d tokens in, %d out).", spend.costUSD, spend.tokensIn, spend.tokensOut))
        return lines.joined(separator: "\n")
    }
}

/// A turn waiting for the one before it (an entry of `sb:session-queue:<conversation>`, JSON).
struct QueuedTurn: Codable, Sendable, Hashable {
    var task: String
    var text: String
    var requester: String?
    /// The envelope's `source` of the chat it came from.
    var source: String
    /// Files sent with it, kept in the file store.
    var attachments: [SessionAttachment]?
}
