import AgentBase
import Forge
import Foundation
import GitKit
import Logging
import Sandboxing

/// The `code-writer` agent: turns a `code.write` request into a pushed branch (explicit edits, or the spec through the
/// model's tool loop), runs the tests, and opens a pull request; runs the turns and commands of coding sessions
/// (`session.turn`, `session.command`); idempotent by task id.
public struct CodeWriterService: SwitchboardService, Sendable {
    public static let name = "code-writer"

    let workspace: GitWorkspace
    let locks: RepositoryLocks
    let forge: any Forge
    let model: any LanguageModel
    let limits: CodeWriterLimits
    let sessions: SessionHistory
    /// Where files sent with turns are read and files for the person are kept (`sb:file:<id>`).
    let files: any FileStore
    /// How long the files a result hands back are kept: as long as the task's state.
    let filesTTL: Duration

    public init(workspace: GitWorkspace, locks: RepositoryLocks, sessions: SessionHistory, files: any FileStore, filesTTL: Duration, forge: any Forge, model: any LanguageModel, limits: CodeWriterLimits = CodeWriterLimits()) {
        self.workspace = workspace
        self.locks = locks
        self.sessions = sessions
        self.files = files
        self.filesTTL = filesTTL
        self.forge = forge
        self.model = model
        self.limits = limits
    }

    /// Registers the `code.write`, `session.turn` and `session.command` handlers.
    public func register(_ handlers: inout AgentHandlers) {
        handlers.on(CodeWriteRequest.self) { request, context in try await write(request, context) }
        handlers.on(SessionTurnRequest.self) { request, context in try await turn(request, context) }
        handlers.on(SessionCommandRequest.self) { request, context in try await command(request, context) }
    }

    /// The application the `code-writer` executable runs: git settings and workspace from the environment
    /// (`WORKSPACE_DIR`, `GIT_*`, `TEST_TIMEOUT`, `GITHUB_TOKEN`), the forge from `GITHUB_API_URL`/`GITHUB_TOKEN`, the
    /// loop's bounds from `CODEWRITER_*`, repository locks and the sessions' turns in the same Redis as the broker
    /// (`SESSION_IDLE_TTL`).
    public static func application(environment: SwitchboardEnvironment, model: any LanguageModel, logger: Logger) throws -> AgentApplication {
        let git: Git
        do {
            git = try Git(configuration: try GitConfiguration(environment: environment, agent: name))
        } catch let error as GitError {
            throw ConfigurationError(variable: "WORKSPACE_DIR", message: error.description)
        }
        let redis = RedisConnection(configuration: try environment.redisConfiguration(), name: "repository-locks", logger: logger)
        let writer = CodeWriterService(
            workspace: GitWorkspace(git: git), locks: RepositoryLocks(redis: redis, keys: environment.keys),
            sessions: SessionHistory(redis: redis, keys: environment.keys, ttl: try environment.sessionIdleTTL()),
            files: RedisFileStore(redis: redis, keys: environment.keys), filesTTL: environment.taskTTL,
            forge: try GitHubForge(environment: environment), model: model, limits: try CodeWriterLimits(environment: environment)
        )
        git.configuration.sandbox.logStart(logger)
        if !writer.hasModel {
            logger.info("no model configured: code.write works from explicit edits; a spec without edits fails with a clear error; session turns answer that they need a model")
        }
        return try AgentApplication(agent: name, environment: environment, logger: logger) { handlers in writer.register(&handlers) }
    }

    /// Whether a real model is configured (not `OfflineModel`).
    var hasModel: Bool { !model.isOffline }
}
