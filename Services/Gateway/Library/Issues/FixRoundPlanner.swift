import Foundation

/// Decides, without I/O, whether review feedback on a pull request Switchboard opened starts a fix round, and writes
/// the round's spec: the comments, with path and line, are what to change.
enum FixRoundPlanner {
    /// One piece of feedback: an inline review comment, a review's body, or a conversation comment.
    struct Feedback: Sendable, Hashable, Codable {
        /// `inline` (answered in its thread), `review` or `comment` (answered with a conversation comment).
        var kind: String
        var id: Int?
        var author: String
        var body: String
        var path: String?
        var line: Int?
    }

    /// What is known of the pull request's rounds.
    struct Known: Sendable, Hashable {
        var rounds: Int
        /// The task of the latest round, and whether it has ended (nil: unknown or expired).
        var running: String?
        var runningEnded: Bool?
    }

    /// What to do.
    enum Decision: Sendable, Hashable {
        case start(round: Int)
        case busy(task: String)
        case limitReached(Int)
        case nothingToDo
    }

    static func decide(_ known: Known, feedback: [Feedback], maxRounds: Int) -> Decision {
        if let running = known.running, known.runningEnded == false { return .busy(task: running) }
        guard known.rounds < maxRounds else { return .limitReached(maxRounds) }
        guard feedback.contains(where: { !$0.body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }) else { return .nothingToDo }
        return .start(round: known.rounds + 1)
    }

    /// The spec of a round: every piece of feedback, located where it has a place.
    static func spec(pullRequest: Int, feedback: [Feedback]) -> String {
        var lines = ["Address this review feedback on pull request #\(pullRequest). Change only what it asks for.", ""]
        for item in feedback where !item.body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            let place = item.path.map { path in item.line.map { "\(path):\($0)" } ?? path }
            lines.append("- \(place.map { "\($0): " } ?? "")\(item.body.trimmingCharacters(in: .whitespacesAndNewlines)) (\(item.author))")
        }
        return lines.joined(separator: "\n")
    }

    /// The answer on the pull request when no round starts.
    static func report(_ decision: Decision) -> String? {
        switch decision {
        case .start, .nothingToDo: nil
        case .busy(let task): "A fix round is running (task `\(task)`); comment again once it has finished and your feedback will be the next round."
        case .limitReached(let limit): "This pull request has had \(limit) fix rounds, the limit (GITHUB_MAX_FIX_ROUNDS); a person has to take it from here."
        }
    }
}
