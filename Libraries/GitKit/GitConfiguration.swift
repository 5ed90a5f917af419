import AgentBase
import Foundation
import Sandboxing

/// How git runs for one agent: its workspace, the identity it commits as, its time limit, the remote token, the
/// repositories it may act on and the sandbox of the code it runs.
public struct GitConfiguration: Sendable {
    /// This agent's workspace (`WORKSPACE_DIR/<agent>`): `mirrors/`, `worktrees/`, `home/`, `bin/`.
    public var workspace: URL
    /// `user.name` of every commit (`GIT_AUTHOR_NAME`, default `Switchboard`).
    public var authorName: String
    /// `user.email` of every commit (`GIT_AUTHOR_EMAIL`, default `switchboard@localhost`).
    public var authorEmail: String
    /// Time limit of one git command (`GIT_TIMEOUT`, default 5 minutes).
    public var timeout: Duration
    /// Token for HTTPS remotes (`GITHUB_TOKEN`), handed to git through `GIT_ASKPASS`, never in a URL or argv.
    public var token: String?
    /// Time limit of a request's test command (`TEST_TIMEOUT`, default 10 minutes).
    public var testTimeout: Duration
    /// The git executable, by name (looked up in `PATH`) or path.
    public var executable: String
    /// The repositories agents may act on (`GITHUB_ALLOWED_REPOS`, `SB_REPO_ALLOW`); also says which host gets the token.
    public var policy: RepositoryPolicy
    /// How test commands run (`SANDBOX`, `SANDBOX_NETWORK`, `SANDBOX_MEMORY`).
    public var sandbox: SandboxConfiguration

    public init(workspace: URL, policy: RepositoryPolicy, sandbox: SandboxConfiguration = SandboxConfiguration(), authorName: String = "Switchboard", authorEmail: String = "switchboard@localhost", timeout: Duration = .seconds(300), testTimeout: Duration = .seconds(600), token: String? = nil, executable: String = "git") {
        self.workspace = workspace
        self.policy = policy
        self.sandbox = sandbox
        self.authorName = authorName
        self.authorEmail = authorEmail
        self.timeout = timeout
        self.testTimeout = testTimeout
        self.token = token
        self.executable = executable
    }

    /// Reads `WORKSPACE_DIR`, `GIT_AUTHOR_NAME`, `GIT_AUTHOR_EMAIL`, `GIT_TIMEOUT`, `TEST_TIMEOUT`, `GITHUB_TOKEN`
    /// (or `GITHUB_TOKEN_FILE`), the repository policy's and the sandbox's variables.
    public init(environment: SwitchboardEnvironment, agent: String) throws(ConfigurationError) {
        let root = URL(fileURLWithPath: environment.workspaceDirectory, isDirectory: true).standardizedFileURL
        self.init(
            workspace: root.appendingPathComponent(agent, isDirectory: true),
            policy: try RepositoryPolicy(environment: environment),
            sandbox: try SandboxConfiguration(environment: environment),
            authorName: environment.value("GIT_AUTHOR_NAME") ?? "Switchboard",
            authorEmail: environment.value("GIT_AUTHOR_EMAIL") ?? "switchboard@localhost",
            timeout: try Self.duration("GIT_TIMEOUT", in: environment, default: .seconds(300)),
            testTimeout: try Self.duration("TEST_TIMEOUT", in: environment, default: .seconds(600)),
            token: try environment.secret("GITHUB_TOKEN")
        )
    }

    private static func duration(_ name: String, in environment: SwitchboardEnvironment, default fallback: Duration) throws(ConfigurationError) -> Duration {
        guard let text = environment.value(name) else { return fallback }
        guard let parsed = DurationParser.parse(text), parsed > .zero else {
            throw ConfigurationError(variable: name, message: "'\(text)' is not a duration (seconds, or e.g. 90s, 5m)")
        }
        return parsed
    }
}
