import AgentBase
import Foundation
import Subprocess
import SystemPackage

/// Runs a program by argv (never through a shell) in a directory, with exactly the environment given and a
/// time limit: past it the program and everything it started (its own session) are killed.
public struct CommandRunner: Sendable {
    /// Most bytes of standard output kept (a larger output is an error, not a silent cut).
    public var outputLimit: Int
    /// Most bytes of standard error kept; only its tail matters in error messages.
    public var errorLimit: Int

    public init(outputLimit: Int = 256 << 20, errorLimit: Int = 8 << 20) {
        self.outputLimit = outputLimit
        self.errorLimit = errorLimit
    }

    /// Its own session, so that a kill reaches everything the command started.
    private static var platformOptions: PlatformOptions {
        var options = PlatformOptions()
        options.createSession = true
        options.teardownSequence = [.send(signal: .kill, toProcessGroup: true, allowedDurationToNextStep: .seconds(1))]
        return options
    }

    /// Runs `argv` and returns its exit status and output; a non-zero exit or a timeout is a result, not an error.
    /// With `combineOutput` standard error is merged into standard output (test commands).
    public func run(_ argv: [String], in directory: URL, environment: [String: String], timeout: Duration, combineOutput: Bool = false) async throws(CommandError) -> CommandOutput {
        let limits = (output: outputLimit, error: errorLimit)
        return try await launch(argv, in: directory, environment: environment, timeout: timeout) { executable, arguments, environment, workingDirectory, options in
            if combineOutput {
                let result = try await Subprocess.run(executable, arguments: arguments, environment: environment, workingDirectory: workingDirectory, platformOptions: options, output: .bytes(limit: limits.output), error: .combinedWithOutput)
                return CommandOutput(status: result.terminationStatus, standardOutput: result.standardOutput, standardError: [])
            }
            let result = try await Subprocess.run(executable, arguments: arguments, environment: environment, workingDirectory: workingDirectory, platformOptions: options, output: .bytes(limit: limits.output), error: .bytes(limit: limits.error))
            return CommandOutput(status: result.terminationStatus, standardOutput: result.standardOutput, standardError: result.standardError)
        }
    }

    /// Runs `argv` like `run` with `input` on its standard input, handing each line of its standard output to `onLine`
    /// as it is printed (for programs that report progress line by line); the returned output holds standard error only.
    public func streamLines(_ argv: [String], in directory: URL, environment: [String: String], input: String, timeout: Duration, onLine: @escaping @Sendable (String) async -> Void) async throws(CommandError) -> CommandOutput {
        let limits = (output: outputLimit, error: errorLimit)
        let inputFile = try Self.unlinkedFile(holding: input)
        return try await launch(argv, in: directory, environment: environment, timeout: timeout) { executable, arguments, environment, workingDirectory, options in
            // From a file, not a pipe the runner writes: a program that exits or is killed before reading all of it
            // leaves no writer behind (swift-subprocess 1.0 traps on a pipe writer that is never closed).
            let result = try await Subprocess.run(executable, arguments: arguments, environment: environment, workingDirectory: workingDirectory, platformOptions: options, input: .fileDescriptor(inputFile, closeAfterSpawningProcess: true), output: .sequence, error: .bytes(limit: limits.error)) { execution in
                for try await line in execution.standardOutput.strings(bufferingPolicy: .maxLineLength(limits.output)) { await onLine(line) }
            }
            return CommandOutput(status: result.terminationStatus, standardOutput: [], standardError: result.standardError)
        }
    }

    /// A read-only descriptor of a private temporary file holding `text`, already unlinked (only the descriptor reaches it).
    private static func unlinkedFile(holding text: String) throws(CommandError) -> FileDescriptor {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-input-\(UUID().uuidString)").path
        do {
            let writer = try FileDescriptor.open(FilePath(path), .writeOnly, options: [.create, .exclusiveCreate], permissions: [.ownerReadWrite])
            _ = try writer.closeAfter { try writer.writeAll(Array(text.utf8)) }
            let reader = try FileDescriptor.open(FilePath(path), .readOnly)
            unlink(path)
            return reader
        } catch {
            unlink(path)
            throw .launchFailed([], reason: "cannot stage standard input: \(error)")
        }
    }

    /// Starts `argv` through `body` in its own session with exactly `environment`, and kills it past `timeout`.
    private func launch(_ argv: [String], in directory: URL, environment: [String: String], timeout: Duration, _ body: @escaping @Sendable (Executable, Arguments, Environment, FilePath, PlatformOptions) async throws -> CommandOutput) async throws(CommandError) -> CommandOutput {
        guard let program = argv.first, !program.isEmpty else { throw .launchFailed(argv, reason: "empty command") }
        let options = Self.platformOptions
        let environment = Environment.custom(Dictionary(uniqueKeysWithValues: environment.compactMap { key, value in Environment.Key(rawValue: key).map { ($0, value) } }))
        let executable: Executable = program.contains("/") ? .path(FilePath(program)) : .name(program)
        do {
            let output = try await withDeadline(.now + timeout) {
                try await body(executable, Arguments(Array(argv.dropFirst())), environment, FilePath(directory.path), options)
            }
            return output ?? CommandOutput(exitCode: nil, standardOutput: "", standardError: "", timedOut: true)
        } catch is CancellationError {
            throw .cancelled(argv)
        } catch {
            throw .launchFailed(argv, reason: "\(error)")
        }
    }
}

/// What a finished command left: its exit code, its output, and whether it ran out of time.
public struct CommandOutput: Sendable, Hashable {
    /// The exit code; `nil` when it was killed by a signal (a timeout included).
    public var exitCode: Int32?
    public var standardOutput: String
    public var standardError: String
    /// Whether it was killed for running past its time limit.
    public var timedOut: Bool

    public init(exitCode: Int32?, standardOutput: String, standardError: String, timedOut: Bool = false) {
        self.exitCode = exitCode
        self.standardOutput = standardOutput
        self.standardError = standardError
        self.timedOut = timedOut
    }

    init(status: TerminationStatus, standardOutput: [UInt8], standardError: [UInt8]) {
        var code: Int32?
        if case .exited(let value) = status { code = value }
        self.init(exitCode: code, standardOutput: String(decoding: standardOutput, as: UTF8.self), standardError: String(decoding: standardError, as: UTF8.self))
    }

    /// Whether it exited with status 0 in time.
    public var succeeded: Bool { exitCode == 0 && !timedOut }

    /// The last `lines` lines of `text`.
    public static func tail(_ text: String, lines: Int) -> String {
        let all = text.split(separator: "\n", omittingEmptySubsequences: false)
        return all.suffix(lines).joined(separator: "\n")
    }
}

/// A command that could not be run at all (as opposed to one that ran and failed).
public enum CommandError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The program was not found, not executable, or its output broke the size limit.
    case launchFailed([String], reason: String)
    /// The task running it was cancelled; the program was killed.
    case cancelled([String])

    public var description: String {
        switch self {
        case .launchFailed(let argv, let reason): return "could not run \(argv.first ?? "command"): \(reason)"
        case .cancelled(let argv): return "\(argv.first ?? "command") was stopped: the task was cancelled"
        }
    }
}
