import Foundation
import Subprocess
import SystemPackage
import Testing

/// compose.yaml checked by Debian's `docker-compose` (1.29), which validates offline without an engine.
struct ComposeValidationTests {
    /// `docker-compose` on PATH, if installed (scripts/deps.sh installs it).
    static let executable: String? = (ProcessInfo.processInfo.environment["PATH"] ?? "")
        .split(separator: ":")
        .map { "\($0)/docker-compose" }
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Runs `docker-compose -f compose.yaml config -q` on `compose` in a fresh project folder, as a fresh clone has
    /// it (no `.env`), or with `.env` made from `.env.example`; killed after 60 s.
    private func validate(_ compose: String, withEnvFile: Bool = false) async throws -> (status: TerminationStatus, errors: String) {
        let executable = try #require(Self.executable)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("compose-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try compose.write(to: folder.appendingPathComponent("compose.yaml"), atomically: true, encoding: .utf8)
        if withEnvFile {
            try DeploymentFiles.text(".env.example").write(to: folder.appendingPathComponent(".env"), atomically: true, encoding: .utf8)
        }
        return try await withThrowingTaskGroup(of: (status: TerminationStatus, errors: String)?.self) { group in
            group.addTask {
                let result = try await Subprocess.run(
                    .path(.init(executable)), arguments: .init(["-f", "compose.yaml", "config", "-q"]),
                    workingDirectory: .init(folder.path),
                    output: .discarded, error: .string(limit: 1 << 16)
                )
                return (result.terminationStatus, result.standardError)
            }
            group.addTask {
                try await Task.sleep(for: .seconds(60))
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            return try #require(first, "docker-compose config did not finish within 60 s")
        }
    }

    @Test("docker-compose config accepts compose.yaml without .env (a fresh clone) and with one, warning of no unset variable", .enabled(if: ComposeValidationTests.executable != nil, "docker-compose is not installed (scripts/deps.sh installs Debian's docker-compose); compose.yaml is still checked by ComposeTests"))
    func composeFileIsValid() async throws {
        for withEnvFile in [false, true] {
            let result = try await validate(DeploymentFiles.text("compose.yaml"), withEnvFile: withEnvFile)
            #expect(result.status == .exited(0), "docker-compose config rejected compose.yaml (.env: \(withEnvFile)): \(result.errors)")
            #expect(!result.errors.contains("is not set"), "\(result.errors)")
        }
    }

    @Test("docker-compose config rejects a wrong key, so the check above means something", .enabled(if: ComposeValidationTests.executable != nil, "docker-compose is not installed"))
    func validatorRejectsMistakes() async throws {
        let broken = try DeploymentFiles.text("compose.yaml").replacingOccurrences(of: "stop_grace_period:", with: "stop_grace_periods:")
        let result = try await validate(broken)
        #expect(result.status == .exited(1))
        #expect(result.errors.contains("stop_grace_periods"))
    }
}
