import AgentBase
import CodeWriter
import Foundation
import SwitchboardTesting

/// One CodeWriter test's world: a repository with a bare remote whose `main` has a test script, a fake GitHub, and
/// the code-writer application run in-process on a real Redis.
final class WriterFixture: Sendable {
    let git: GitFixture
    let forge: FakeForge
    let agent: AgentHarness

    /// The test command of the fixture repository: passes when `greeting.txt` says `Hello, world`; leaves `test-run.log`
    /// behind, as test commands do (it must not be committed).
    static let testCommand = ["sh", "test.sh"]
    static let testScript = """
    echo ran > test-run.log
    if grep -q 'Hello, world' greeting.txt 2>/dev/null; then echo "1 test passed"; else echo "FAIL: greeting.txt does not say 'Hello, world'"; exit 1; fi

    """

    init(model: any LanguageModel = OfflineModel(), environment: [String: String] = [:]) async throws {
        git = try await GitFixture.make()
        try await git.commit(on: "main", ["test.sh": Self.testScript], "add the test script")
        forge = FakeForge()
        try await forge.server.start()
        let url = forge.url
        agent = try AgentHarness(CodeWriterService.self, environment: ["GITHUB_API_URL": url, "TEST_TIMEOUT": "30s"].merging(environment) { $1 }) { environment in
            // Metered per task exactly as the executable's model is (LanguageModelFactory.metered).
            TaskMeteredModel(base: model, ledger: UsageLedger(registry: try AgentRegistry.load(path: environment.registryPath)))
        }
    }

    /// A request on the fixture repository for the fake forge's `example-org/example-repo`.
    func request(spec: String = "Add a greeting file.", edits: [CodeEdit]? = nil, testCommand: [String]? = WriterFixture.testCommand, openPR: Bool = true) -> CodeWriteRequest {
        CodeWriteRequest(repoURL: git.url, base: "main", spec: spec, edits: edits, testCommand: testCommand, openPR: openPR, repo: "example-org/example-repo")
    }

    /// The `task.progress` messages of a task, in order.
    func progress(of task: String) async throws -> [String] {
        try await agent.bus.events(for: task).filter { $0.type == "task.progress" }.compactMap { try JSONValue(parsing: $0.payload)["message"]?.stringValue }
    }

    func stop() async {
        await agent.stop()
        await forge.server.stop()
        git.remove()
    }
}
