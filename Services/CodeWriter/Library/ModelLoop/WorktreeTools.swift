import AgentBase
import Foundation
import GitKit
import Sandboxing

/// The tools the model works with, all confined to one work tree: every path goes through `WorktreePath.resolve`,
/// every output is bounded. Written files are staged at once, so that the commit holds what was written and nothing
/// the test command left behind. A tool that cannot do what was asked answers with an error result the model can read;
/// only a sandbox that cannot run the tests here fails the task.
struct WorktreeTools: Sendable {
    let worktree: Worktree
    let testCommand: [String]?
    /// The files sent with a session's turn (`read_attachment`).
    var attachments: TurnAttachmentFolder?
    /// Whether the model may hand files back to the person (`send_file`: a session's turn).
    var sendsFiles = false

    /// Most files `list_files` names, matches `search` shows, and characters `read_file` returns.
    static let maxFiles = 500
    static let maxMatches = 100
    static let maxReadCharacters = 100_000
    /// Files larger than this are skipped by `search`.
    static let maxSearchBytes = 1 << 20

    /// What one tool call gave back.
    struct Outcome: Sendable {
        var text: String
        var isError: Bool
        /// The report of `run_tests`.
        var tests: TestRunReport?
        /// A file for the person (`send_file`).
        var file: OutgoingFile?
    }

    /// Most bytes of one file `send_file` hands back.
    static let maxSentBytes = 1 << 20

    var definitions: [ModelTool] {
        [
            ModelTool(name: "list_files", description: "List the repository's files (tracked and new, .gitignore respected), optionally under a directory.",
                      inputSchema: Self.schema(["path": ("string", "directory relative to the repository root; default: the whole repository")], required: [])),
            ModelTool(name: "read_file", description: "Read a text file of the repository.",
                      inputSchema: Self.schema(["path": ("string", "file path relative to the repository root")], required: ["path"])),
            ModelTool(name: "write_file", description: "Create or replace a whole file with the given content (directories are created).",
                      inputSchema: Self.schema(["path": ("string", "file path relative to the repository root"), "content": ("string", "the complete new content")], required: ["path", "content"])),
            ModelTool(name: "search", description: "Search the repository's text files line by line for a substring (or a regular expression with regex: true).",
                      inputSchema: Self.schema([
                          "pattern": ("string", "text to find"), "regex": ("boolean", "treat pattern as a regular expression"),
                          "path": ("string", "only under this directory"),
                      ], required: ["pattern"])),
            ModelTool(name: "run_tests", description: "Run the repository's test command and get whether it passed and the tail of its output.",
                      inputSchema: Self.schema([:], required: [])),
        ] + (attachments.map { _ in [
            ModelTool(name: "read_attachment", description: "Read a text file the person sent with this turn (by its name in the list of files sent).",
                      inputSchema: Self.schema(["name": ("string", "the file's name as listed")], required: ["name"])),
        ] } ?? []) + (sendsFiles ? [
            ModelTool(name: "send_file", description: "Send the person a text file in the chat (a report, a patch, a long listing) instead of pasting it into your reply.",
                      inputSchema: Self.schema(["name": ("string", "the file name, e.g. report.md"), "content": ("string", "the whole content")], required: ["name", "content"])),
        ] : [])
    }

    /// Runs tool `name` with `input`.
    func call(_ name: String, input: JSONValue) async throws(SandboxError) -> Outcome {
        do {
            switch name {
            case "list_files": return try await listFiles(under: input["path"]?.stringValue)
            case "read_file": return try await readFile(try Self.string("path", of: name, in: input))
            case "write_file":
                let path = try Self.string("path", of: name, in: input)
                let content = try Self.string("content", of: name, in: input)
                try await worktree.write(path, content)
                try await worktree.stage([path])
                return Outcome(text: "wrote \(path) (\(content.utf8.count) bytes)", isError: false)
            case "search":
                return try await search(try Self.string("pattern", of: name, in: input), regex: input["regex"]?.boolValue ?? false, under: input["path"]?.stringValue)
            case "run_tests": return try await runTests()
            case "read_attachment" where attachments != nil:
                return Outcome(text: try attachments?.read(try Self.string("name", of: name, in: input)) ?? "", isError: false)
            case "send_file" where sendsFiles:
                let file = OutgoingFile(name: FileKind.safeName(try Self.string("name", of: name, in: input)), content: try Self.string("content", of: name, in: input))
                guard file.content.utf8.count <= Self.maxSentBytes else { return Outcome(text: "send_file takes at most \(Self.maxSentBytes) bytes", isError: true) }
                return Outcome(text: "\(file.name) will be sent with your reply", isError: false, file: file)
            default:
                return Outcome(text: "unknown tool '\(name)'; the tools are \(definitions.map(\.name).joined(separator: ", "))", isError: true)
            }
        } catch let error as SandboxError {
            throw error
        } catch {
            return Outcome(text: "\(error)", isError: true)
        }
    }

    /// Runs the request's test command (in the sandbox), or says there is none.
    func runTests() async throws(SandboxError) -> Outcome {
        guard let testCommand else {
            return Outcome(text: "this request has no test_command; there are no tests to run", isError: true)
        }
        let report = try await worktree.runTests(testCommand)
        return Outcome(text: "\(report.passed ? "PASSED" : "FAILED"): \(testCommand.joined(separator: " "))\n\(report.outputTail)", isError: false, tests: report)
    }

    private func listFiles(under path: String?) async throws -> Outcome {
        let files = try await files(under: path)
        guard !files.isEmpty else { return Outcome(text: "no files\(path.map { " under \($0)" } ?? "")", isError: false) }
        var lines = Array(files.prefix(Self.maxFiles))
        if files.count > Self.maxFiles { lines.append("… and \(files.count - Self.maxFiles) more; list a directory to see them") }
        return Outcome(text: lines.joined(separator: "\n"), isError: false)
    }

    private func readFile(_ path: String) async throws -> Outcome {
        let text = try await worktree.read(path)
        guard text.count > Self.maxReadCharacters else { return Outcome(text: text, isError: false) }
        return Outcome(text: String(text.prefix(Self.maxReadCharacters)) + "\n… (cut after \(Self.maxReadCharacters) of \(text.count) characters)", isError: false)
    }

    private func search(_ pattern: String, regex: Bool, under path: String?) async throws -> Outcome {
        let expression: Regex<AnyRegexOutput>?
        do {
            expression = regex ? try Regex(pattern) : nil
        } catch {
            return Outcome(text: "not a valid regular expression: \(error)", isError: true)
        }
        var matches: [String] = []
        var more = false
        scan: for file in try await files(under: path) {
            let url = try WorktreePath.resolve(file, in: worktree.directory)
            guard let data = try? Data(contentsOf: url), data.count <= Self.maxSearchBytes, let text = String(data: data, encoding: .utf8) else { continue }
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let found = expression.map { line.contains($0) } ?? line.contains(pattern)
                guard found else { continue }
                guard matches.count < Self.maxMatches else { more = true; break scan }
                matches.append("\(file):\(number + 1): \(line.prefix(200))")
            }
        }
        if matches.isEmpty { return Outcome(text: "no matches", isError: false) }
        if more { matches.append("… more matches not shown; narrow the search") }
        return Outcome(text: matches.joined(separator: "\n"), isError: false)
    }

    /// Tracked and untracked (not ignored) files, under `path` when given (which must stay inside the work tree).
    private func files(under path: String?) async throws -> [String] {
        var arguments = ["ls-files", "--cached", "--others", "--exclude-standard", "-z"]
        if let path, !path.isEmpty, path != "." {
            _ = try WorktreePath.resolve(path, in: worktree.directory)
            arguments += ["--", ":(literal)\(path)"]
        }
        let listed = try await worktree.run(arguments).split(separator: "\0").map(String.init)
        return Array(Set(listed)).sorted()
    }

    private static func string(_ field: String, of tool: String, in input: JSONValue) throws(ToolInputError) -> String {
        guard let value = input[field]?.stringValue else { throw ToolInputError(message: "\(tool) needs \"\(field)\" (a string)") }
        return value
    }

    private static func schema(_ properties: [String: (type: String, description: String)], required: [String]) -> JSONValue {
        .object([
            "type": "object",
            "properties": .object(properties.mapValues { .object(["type": .string($0.type), "description": .string($0.description)]) }),
            "required": .array(required.map(JSONValue.string)),
        ])
    }
}

/// A text file the model hands back to the person (`send_file`).
struct OutgoingFile: Sendable, Hashable {
    var name: String
    var content: String
}

/// A tool call whose input lacks a field.
struct ToolInputError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
