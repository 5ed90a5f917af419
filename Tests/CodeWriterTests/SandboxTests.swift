import AgentBase
import Foundation
import GitKit
import LLMProviders
import Sandboxing
import SwitchboardTesting
import Testing

/// Untrusted code from a request runs in bubblewrap (real bwrap, real Redis, real git): it cannot see the agent's
/// secrets, change the agent's git configuration, reach the network or write outside its work tree; without bwrap the
/// task fails and says what to install; the Claude CLI's edits are committed.
@Suite("CodeWriter: the sandbox", .serialized)
struct SandboxTests {
    /// The test command: each thing an attacker's test script would try, reported; exits 0 only when all of it failed.
    static let probe = #"""
    import glob, os, socket, sys
    secret, mirror_config, git_config, redis_port = sys.argv[1][::-1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    problems = []
    names = set()
    for path in glob.glob("/proc/[0-9]*/environ") + glob.glob("/proc/[0-9]*/cmdline"):
        try:
            data = open(path, "rb").read()
        except OSError:
            continue
        if secret.encode() in data:
            problems.append("the secret is in " + path)
        if path.endswith("environ"):
            names |= {entry.split(b"=", 1)[0].decode() for entry in data.split(b"\0") if entry}
    # The sandbox's own variables, and PWD (bwrap sets it to the work tree); nothing of the agent's.
    extra = names - {"PATH", "HOME", "TMPDIR", "LANG", "LC_ALL", "PWD"}
    if extra:
        problems.append("variables of the agent are visible: " + ", ".join(sorted(extra)))
    with open(os.path.expanduser("~/.gitconfig"), "w") as config:
        config.write('[url "file:///nowhere/"]\n\tinsteadOf = /\n[core]\n\tfsmonitor = /bin/false\n')
    try:
        open(git_config, "w").write("[core]\n\thooksPath = /tmp\n")
    except OSError:
        pass
    try:
        socket.create_connection(("127.0.0.1", redis_port), timeout=3)
        problems.append("reached Redis on 127.0.0.1")
    except OSError:
        pass
    for target in ["/etc/sb-sandbox-probe", mirror_config, ".git"]:
        try:
            open(target, "a").write("x")
            problems.append("wrote " + target)
        except OSError:
            pass
    open("inside.txt", "w").write("written inside")
    if open("inside.txt").read() != "written inside":
        problems.append("cannot write the work tree")
    try:
        block = bytearray(1 << 30)
        problems.append("allocated 1 GiB past SANDBOX_MEMORY")
    except MemoryError:
        pass
    print("\n".join(problems) or "ALL CHECKS PASSED")
    sys.exit(1 if problems else 0)
    """#

    @Test("a test command finds no secret, cannot reach Redis, cannot write outside its work tree or change git's configuration")
    func untrustedTestCommandIsContained() async throws {
        let secret = "ghp_" + String((0..<36).map { _ in "abcdefghijklmnopqrstuvwxyz0123456789".randomElement()! })
        // Another process holding the secret in its environment, as the container's PID 1 and the agent do.
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/bin/sleep")
        holder.arguments = ["120"]
        holder.environment = ["GITHUB_TOKEN": secret, "PATH": "/usr/bin:/bin"]
        // Not on the test run's output: a holder that outlived the test would keep swift-test waiting for EOF.
        (holder.standardInput, holder.standardOutput, holder.standardError) = (FileHandle.nullDevice, FileHandle.nullDevice, FileHandle.nullDevice)
        try holder.run()
        defer {
            kill(holder.processIdentifier, SIGKILL)
            holder.waitUntilExit()
        }
        let world = try await WriterFixture(environment: ["GITHUB_TOKEN": secret, "ANTHROPIC_API_KEY": "sk-ant-" + secret, "SANDBOX_MEMORY": "512m"])
        try await withTeardown {
            let workspace = world.agent.workspace.appendingPathComponent("code-writer")
            let mirrorConfig = workspace.appendingPathComponent("mirrors/\(try RepositoryURL(world.git.url).hash).git/config")
            let gitConfig = workspace.appendingPathComponent("home/.gitconfig")
            let port = try #require(world.agent.bus.url.split(separator: ":").last?.split(separator: "/").first)
            let argv = ["python3", "probe.py", String(secret.reversed()), mirrorConfig.path, gitConfig.path, String(port)]
            let request = CodeWriteRequest(repoURL: world.git.url, base: "main", spec: "Probe the sandbox.", edits: [.file("probe.py", content: Self.probe)], testCommand: argv, openPR: false)

            let result = try await world.agent.result(request, task: "cw-sandbox-1")

            #expect(result.tests?.passed == true, "\(result.tests?.outputTail ?? "")")
            #expect(result.tests?.outputTail.contains("ALL CHECKS PASSED") == true)
            #expect(!FileManager.default.fileExists(atPath: gitConfig.path), "the agent's git HOME was written")
            #expect(!(try String(contentsOf: mirrorConfig, encoding: .utf8)).contains("x\n"))
            #expect(!FileManager.default.fileExists(atPath: "/etc/sb-sandbox-probe"))
            // Git after the test command is unaffected: the commit was pushed to the real remote, without the leftovers.
            #expect(try await world.git.head(result.branch) == result.commit)
            #expect((try? await world.git.file("inside.txt", at: result.branch)) == nil)
            #expect(try await world.git.file("probe.py", at: result.branch) == Self.probe)
        } teardown: {
            await world.stop()
        }
    }

    @Test("without bubblewrap a test command fails the task with what to install; SANDBOX=none runs it on purpose")
    func missingBubblewrap() async throws {
        let missing = try await WriterFixture(environment: ["SANDBOX_BWRAP": "/nonexistent/bwrap"])
        let failure = try await missing.agent.failure(missing.request(edits: [.file("greeting.txt", content: "Hello, world\n")], openPR: false))
        #expect(try await missing.git.branches() == ["main"])
        await missing.stop()
        #expect(failure.error == "sandbox_unavailable")
        #expect(failure.retryable == false)
        #expect(failure.reason.contains("apt-get install bubblewrap") && failure.reason.contains("SANDBOX=none"))

        let unisolated = try await WriterFixture(environment: ["SANDBOX_BWRAP": "/nonexistent/bwrap", "SANDBOX": "none"])
        try await withTeardown {
            let result = try await unisolated.agent.result(unisolated.request(edits: [.file("greeting.txt", content: "Hello, world\n")], openPR: false))
            #expect(result.tests?.passed == true)
        } teardown: {
            await unisolated.stop()
        }
    }

    @Test("the Claude CLI gets its prompt on stdin, runs in the sandbox, and its edits are committed")
    func claudeCLIEditsAreCommitted() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("sb-claude-\(UUID().uuidString.prefix(8))", isDirectory: true)
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let program = root.appendingPathComponent("claude")
        try Data(#"""
        #!/bin/sh
        { printf 'argv:'; printf ' %s' "$@"; printf '\nstdin:\n'; cat; printf '\nkey: %s\ntoken: %s\n' "${ANTHROPIC_API_KEY:+set}" "${GITHUB_TOKEN:+set}"; } > from-claude.txt
        echo '{"type":"result","subtype":"success","is_error":false,"result":"Wrote from-claude.txt.","usage":{"input_tokens":3,"output_tokens":2}}'

        """#.utf8).write(to: program)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: program.path)
        let key = "sk-ant-" + String(repeating: "k", count: 40)
        let model = ClaudeCLIModel(executable: program.path, model: "sonnet-test", defaultDirectory: root.path, environment: ["ANTHROPIC_API_KEY": key],
                                   sandbox: BubblewrapSandbox(configuration: SandboxConfiguration()))
        let world = try await WriterFixture(model: model, environment: ["GITHUB_TOKEN": "ghp_" + String(repeating: "g", count: 36)])
        try await withTeardown {

            let result = try await world.agent.result(world.request(spec: "Write the file from-claude.txt.", testCommand: nil, openPR: false), task: "cw-claude-1")

            #expect(result.note == nil)
            let written = try await world.git.file("from-claude.txt", at: result.branch)
            #expect(written.hasPrefix("argv: -p --output-format stream-json --verbose --model sonnet-test\nstdin:\n"))
            #expect(written.contains("Write the file from-claude.txt."))
            #expect(written.hasSuffix("key: set\ntoken: \n"))
        } teardown: {
            await world.stop()
        }
    }
}
