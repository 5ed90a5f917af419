import AgentBase
import Foundation
import Sandboxing
import Synchronization

/// `LLM_PROVIDER=claude-cli`: runs the Claude Code CLI (`CLAUDE_CLI`, default `claude`) by argv, non-interactive
/// (`-p --output-format stream-json --verbose`, `--model` when set) with the prompt on its standard input (never in
/// argv, where it would be limited to 128 KiB and visible in `/proc/*/cmdline`), in the sandbox (`SANDBOX`): the
/// request's working directory (the task's worktree) is the only path it may write, it gets the network and its
/// model key but nothing else of the agent's environment (never the forge token), under a time limit. Without a
/// working directory it runs in a scratch directory of its own, removed afterwards. Its stream-JSON lines become
/// events as they are printed, the last one the answer.
/// The CLI uses its own tools, so `ModelRequest.tools` are not offered to it; it edits the work tree itself. A request
/// that names a `ProviderSession` runs with that folder as its `HOME` (where the CLI keeps its sessions) and, given an
/// id, `--resume`s it; the answer's `session` is the CLI's session id.
public struct ClaudeCLIModel: LanguageModel {
    /// The program: a name looked up on `PATH` or a path.
    public let executable: String
    public let model: String?
    public let timeout: Duration
    /// Where scratch directories are made for requests that name no working directory.
    public let defaultDirectory: String
    /// What the CLI gets besides the sandbox's clean `PATH`, `HOME` and locale: the model's key and base URL.
    private let environment: [String: String]
    private let sandbox: any Sandbox
    private let runner = CommandRunner(outputLimit: 64 << 20, errorLimit: 1 << 20)

    public init(executable: String = "claude", model: String?, timeout: Duration = .seconds(600), defaultDirectory: String, environment: [String: String], sandbox: any Sandbox) {
        self.executable = executable
        self.model = model
        self.timeout = timeout
        self.defaultDirectory = defaultDirectory
        self.environment = environment
        self.sandbox = sandbox
    }

    public var identity: String { "claude-cli/\(model ?? "default")" }

    public var editsWorkingDirectory: Bool { true }

    /// The argv of one run (the prompt goes on standard input).
    public func arguments(for request: ModelRequest) -> [String] {
        var argv = [executable, "-p", "--output-format", "stream-json", "--verbose"]
        if let model = request.model ?? model { argv += ["--model", model] }
        for directory in request.readOnlyDirectories { argv += ["--add-dir", directory] }
        if let id = request.resume?.id, Self.isSessionID(id) { argv += ["--resume", id] }
        return argv
    }

    /// A session id as the CLI makes them (a UUID): letters, digits and `-` only, so it can never read as an option.
    static func isSessionID(_ id: String) -> Bool {
        !id.isEmpty && id.count <= 64 && !id.hasPrefix("-") && id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
    }

    /// One run; with `request.resume` the CLI's session is continued in its kept `HOME`, and when the CLI cannot resume
    /// it (the folder was lost with a replica, or the session expired) the request runs again as a new session.
    public func respond(to request: ModelRequest, onEvent: @escaping @Sendable (ModelEvent) async -> Void) async throws -> ModelResponse {
        guard request.resume?.id != nil else { return try await run(request, onEvent: onEvent) }
        do {
            return try await run(request, onEvent: onEvent)
        } catch LanguageModelError.cli(let message) {
            await onEvent(.status("claude: could not resume its session (\(message.prefix(120))); starting a new one"))
            var fresh = request
            fresh.resume?.id = nil
            return try await run(fresh, onEvent: onEvent)
        }
    }

    private func run(_ request: ModelRequest, onEvent: @escaping @Sendable (ModelEvent) async -> Void) async throws -> ModelResponse {
        let scratch = request.workingDirectory == nil ? URL(fileURLWithPath: defaultDirectory, isDirectory: true).appendingPathComponent("claude-\(UUID().uuidString)", isDirectory: true) : nil
        let directory = scratch ?? URL(fileURLWithPath: request.workingDirectory ?? defaultDirectory, isDirectory: true)
        defer { if let scratch { try? FileManager.default.removeItem(at: scratch) } }
        let reader = Mutex(ClaudeStreamJSON())
        let output: CommandOutput
        do {
            if let scratch { try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true) }
            let home = request.resume.map { URL(fileURLWithPath: $0.stateDirectory, isDirectory: true) }
            if let home { try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700]) }
            let readOnly = SandboxCommand.gitPaths(of: directory) + request.readOnlyDirectories.map { URL(fileURLWithPath: $0, isDirectory: true) }
            let command = SandboxCommand(argv: arguments(for: request), workTree: directory, readOnly: readOnly, environment: environment, network: true, home: home)
            output = try await sandbox.streamLines(command, input: Self.prompt(request), runner: runner, timeout: timeout) { line in
                for event in reader.withLock({ $0.take(line) }) { await onEvent(event) }
            }
        } catch let error as SandboxError {
            throw LanguageModelError.cli(error.message)
        } catch {
            throw LanguageModelError.cli("\(error) (set CLAUDE_CLI to the Claude Code CLI's path)")
        }
        if output.timedOut { throw LanguageModelError.timedOut(seconds: Int(timeout.components.seconds)) }
        let run = reader.withLock { $0 }
        guard output.exitCode == 0, let result = run.result, !run.isError else {
            let detail = run.result ?? CommandOutput.tail(output.standardError, lines: 5)
            throw LanguageModelError.cli("exit status \(output.exitCode.map(String.init) ?? "none"): \(detail)")
        }
        var response = ModelResponse(content: [.text(result)], stopReason: .endTurn, model: run.model ?? request.model ?? model ?? "claude-cli", tokensIn: run.tokensIn, tokensOut: run.tokensOut)
        response.costUSD = run.costUSD
        response.session = run.sessionID
        return response
    }

    /// One prompt for the CLI: the instructions, then the conversation as a transcript.
    static func prompt(_ request: ModelRequest) -> String {
        var parts: [String] = []
        if !request.system.isEmpty { parts.append(request.system) }
        let turns = request.messages.map { message in
            let text = message.content.map { content -> String in
                switch content {
                case .text(let text): return text
                case .image(let name, _, _): return "[image \(name): the file of that name in \(request.readOnlyDirectories.first ?? "the folder of files sent")]"
                case .toolUse(_, let name, let input): return "[tool \(name) \(input.jsonString)]"
                case .toolResult(_, let content, let isError): return "[tool result\(isError ? " (error)" : "")] \(content)"
                }
            }.joined(separator: "\n")
            return request.messages.count == 1 ? text : "\(message.role.rawValue): \(text)"
        }
        parts.append(turns.joined(separator: "\n\n"))
        return parts.joined(separator: "\n\n")
    }
}
