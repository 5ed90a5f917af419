import AgentBase

/// A git operation that failed, with what was run and what git said, readable as is.
public enum GitError: Error, Sendable, Hashable, CustomStringConvertible {
    /// git ran and exited non-zero; `stderr` is the tail of what it printed.
    case failed(command: [String], exitCode: Int32?, stderr: String)
    /// git ran past its time limit and was killed.
    case timedOut(command: [String], after: Duration)
    /// git could not be started (not installed, not executable).
    case couldNotRun(command: [String], reason: String)
    /// The task running git was cancelled (a handler timeout or `task.cancel`); git was killed.
    case cancelled(command: [String])
    /// No branch, tag or commit of that name exists in the repository.
    case unknownRef(String, repository: String)
    /// A branch name git refuses (`git check-ref-format --branch`).
    case invalidBranchName(String)
    /// A path given by a request that would leave the work tree.
    case unsafePath(String, reason: String)
    /// A repository URL that cannot be used.
    case invalidRepositoryURL(String, reason: String)
    /// A repository outside the allow-list (`GITHUB_ALLOWED_REPOS`, `SB_REPO_ALLOW`).
    case forbiddenRepository(RepositoryPolicyError)
    /// Another task held the repository for the whole wait.
    case lockTimeout(repository: String, after: Duration)
    /// A patch that does not apply cleanly (`git apply --check`).
    case patchDoesNotApply(String)

    public var description: String {
        switch self {
        case .failed(let command, let code, let stderr):
            let status = code.map { "exit \($0)" } ?? "killed"
            let said = stderr.isEmpty ? "" : ": \(stderr)"
            return Redactor.redact("\(Self.render(command)) failed (\(status))\(said)")
        case .timedOut(let command, let limit):
            return "\(Self.render(command)) took longer than \(limit) and was killed (GIT_TIMEOUT)"
        case .couldNotRun(let command, let reason):
            return "\(Self.render(command)) could not run: \(reason)"
        case .cancelled(let command):
            return "\(Self.render(command)) was stopped: the task was cancelled"
        case .unknownRef(let ref, let repository):
            return "no branch, tag or commit named '\(ref)' in \(Redactor.redact(repository))"
        case .invalidBranchName(let name):
            return "'\(name)' is not a valid branch name"
        case .unsafePath(let path, let reason):
            return "refused path '\(path)': \(reason)"
        case .invalidRepositoryURL(let url, let reason):
            return "refused repository URL '\(Redactor.redact(url))': \(reason)"
        case .forbiddenRepository(let error):
            return error.message
        case .lockTimeout(let repository, let wait):
            return "\(Redactor.redact(repository)) is busy with another task; gave up waiting after \(wait)"
        case .patchDoesNotApply(let detail):
            return "the patch does not apply: \(detail)"
        }
    }

    /// Whether trying again later can help: network trouble, a timeout, a busy repository, a push race.
    public var isTransient: Bool {
        switch self {
        case .timedOut, .lockTimeout, .cancelled: return true
        case .failed(_, _, let stderr):
            let transient = ["Could not resolve host", "Connection refused", "Connection timed out", "Operation timed out", "timed out",
                             "early EOF", "remote end hung up", "RPC failed", "Temporary failure", "returned error: 5", "[rejected]", "stale info",
                             "cannot lock ref", "Unable to create", "index.lock"]
            return !isMissingRepository && transient.contains { stderr.contains($0) }
        default: return false
        }
    }

    /// Whether git said the repository does not exist or is not reachable with these credentials.
    public var isMissingRepository: Bool {
        guard case .failed(_, _, let stderr) = self else { return false }
        let missing = ["does not appear to be a git repository", "Repository not found", "does not exist", "returned error: 404",
                       "Authentication failed", "returned error: 403", "could not read Username", "not a git repository"]
        return missing.contains { stderr.contains($0) }
    }

    static func render(_ command: [String]) -> String {
        command.map { $0.contains(" ") ? "'\($0)'" : $0 }.joined(separator: " ")
    }
}
