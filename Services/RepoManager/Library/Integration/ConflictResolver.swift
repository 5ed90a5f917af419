import AgentBase
import Foundation
import GitKit

/// Resolves the conflicted files of a work tree by a `ConflictStrategy`, hunk by hunk, and stages them.
struct ConflictResolver: Sendable {
    let model: any LanguageModel

    /// How one round of conflicts ended.
    enum Resolution: Sendable {
        /// Every file resolved and staged.
        case resolved([String])
        /// Left as they are (strategy `report`, or files no strategy can resolve), to be reported.
        case unresolved([ConflictFile])
    }

    static let system = """
    You resolve one conflict of a git merge or rebase. You get the file path, our side, the common ancestor (base) \
    and their side. Answer with the resolved lines only, exactly as they should stand in the file: no explanation, \
    no code fences, no conflict markers. Keep the intent of both sides.
    """

    func resolve(_ paths: [String], in worktree: Worktree, strategy: ConflictStrategy) async throws -> Resolution {
        guard strategy != .report else { return .unresolved(try await worktree.conflicts()) }
        var unresolvable: [ConflictFile] = []
        for path in paths {
            let text = (try? await worktree.read(path)) ?? ""
            if ConflictMarkers.hunks(in: text).isEmpty {
                guard strategy == .ours || strategy == .theirs else {
                    unresolvable.append(ConflictFile(path: path, hunks: []))
                    continue
                }
                try await worktree.takeSide(path, ours: strategy == .ours)
                continue
            }
            let merged = try await ConflictMarkers.resolve(text) { hunk in try await resolution(of: hunk, in: path, strategy: strategy) }
            try await worktree.write(path, merged)
            try await worktree.stage([path])
        }
        guard unresolvable.isEmpty else { return .unresolved(try await worktree.conflicts()) }
        return .resolved(paths)
    }

    private func resolution(of hunk: ConflictHunk, in path: String, strategy: ConflictStrategy) async throws -> String {
        switch strategy {
        case .ours, .report: return hunk.ours
        case .theirs: return hunk.theirs
        case .union: return Self.terminated(hunk.ours) + hunk.theirs
        case .llm: return try await askModel(hunk, path: path)
        }
    }

    private func askModel(_ hunk: ConflictHunk, path: String) async throws -> String {
        let question = """
        File: \(path) (conflict at line \(hunk.startLine))

        Ours:
        \(Self.terminated(hunk.ours))
        Base:
        \(Self.terminated(hunk.base ?? "(unknown)"))
        Theirs:
        \(Self.terminated(hunk.theirs))
        """
        let answer: String
        do {
            answer = try await model.complete(system: Self.system, messages: [.user(question)])
        } catch LanguageModelError.notConfigured {
            throw AgentError.permanent("strategy llm needs a model, and \(LanguageModelError.notConfigured); or use strategy report, ours, theirs or union", code: "no_model")
        }
        let lines = Self.withoutFences(answer)
        guard !ConflictMarkers.containsMarkers(lines) else {
            throw AgentError.permanent("refused the model's resolution of \(path) (conflict at line \(hunk.startLine)): it still contains conflict markers; nothing was committed or pushed", code: "llm_resolution_refused")
        }
        return lines.isEmpty || hunk.ours.hasSuffix("\n") || hunk.theirs.hasSuffix("\n") ? Self.terminated(lines) : lines
    }

    /// The answer without a surrounding Markdown code fence, which models add despite being asked not to.
    static func withoutFences(_ answer: String) -> String {
        var lines = answer.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.first?.hasPrefix("```") == true else { return answer }
        lines.removeFirst()
        while let last = lines.last, last.trimmingCharacters(in: .whitespaces).isEmpty { lines.removeLast() }
        if lines.last?.hasPrefix("```") == true { lines.removeLast() }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `text` ending with a newline unless empty.
    static func terminated(_ text: String) -> String {
        text.isEmpty || text.hasSuffix("\n") ? text : text + "\n"
    }
}
