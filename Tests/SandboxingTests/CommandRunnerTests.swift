import Foundation
import Sandboxing
import Testing

/// The argv runner on its own: time limits that kill what a command started, exit status and both outputs.
struct CommandRunnerTests {
    @Test func aCommandPastItsTimeLimitIsKilled() async throws {
        let pidFile = FileManager.default.temporaryDirectory.appendingPathComponent("sb-sleeper-\(UUID().uuidString.prefix(8)).pid")
        defer { try? FileManager.default.removeItem(at: pidFile) }
        let output = try await CommandRunner().run(
            ["sh", "-c", "echo $$ > \"$0\"; exec sleep 30", pidFile.path], in: FileManager.default.temporaryDirectory,
            environment: ["PATH": "/usr/bin:/bin"], timeout: .milliseconds(300)
        )
        #expect(output.timedOut)
        #expect(!output.succeeded)
        // The command itself is gone (killed and reaped), not merely abandoned while it sleeps on.
        let pid = try #require(pid_t(try String(contentsOf: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(kill(pid, 0) == -1 && errno == ESRCH)
    }

    @Test func aCommandsExitStatusAndBothOutputsAreReturned() async throws {
        let quick = try await CommandRunner().run(["sh", "-c", "echo out; echo err >&2; exit 3"], in: FileManager.default.temporaryDirectory, environment: ["PATH": "/usr/bin:/bin"], timeout: .seconds(10))
        #expect(quick == CommandOutput(exitCode: 3, standardOutput: "out\n", standardError: "err\n"))
    }
}
