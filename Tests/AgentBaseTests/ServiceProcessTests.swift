@testable import AgentBase
import Foundation
import Subprocess
import SwitchboardTesting
import SystemPackage
import Testing

/// A built agent executable run as a child process, the way a container runs it: real SIGTERM, real `/readyz` and
/// `/metrics` on its `METRICS_PORT`.
@Suite(.serialized)
struct ServiceProcessTests {
    /// The HTTP status of `GET http://127.0.0.1:<port><path>` and its body; status 0 when nothing answers.
    private static func get(_ path: String, port: Int) async throws -> (status: Int, body: String) {
        let result = try await Subprocess.run(
            .path("/usr/bin/curl"), arguments: ["-s", "--max-time", "5", "-w", "\n%{http_code}", "http://127.0.0.1:\(port)\(path)"],
            output: .string(limit: 1 << 22), error: .discarded
        )
        var lines = result.standardOutput.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let status = Int(lines.popLast() ?? "") ?? 0
        return (status, lines.joined(separator: "\n"))
    }

    /// One Anthropic Messages API answer.
    private static func answer(_ text: String) -> FakeModelAPI.Answer {
        .json([
            "id": "msg_1", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5",
            "content": [["type": "text", "text": .string(text)]], "stop_reason": "end_turn", "usage": ["input_tokens": 10, "output_tokens": 5],
        ])
    }

    private static func ask(_ text: String, bus: TestBus) async throws -> String {
        let task = "chat-\(UUID().uuidString.prefix(8))"
        let payload = String(decoding: try JSONEncoder().encode(ChatMessageRequest(text: text)), as: UTF8.self)
        _ = try await bus.broker.queue.publish(Envelope(type: ChatMessageRequest.type, payload: payload, task: task), to: bus.keys.inbox("assistant"))
        return task
    }

    @Test("SIGTERM with a task in flight: /readyz answers 503 while it drains, the task completes within the grace, exit 0; /metrics counts the tasks")
    func sigtermDrainsARealService() async throws {
        let bus = try TestBus()
        let api = try await FakeModelAPI.started()
        try await withTeardown {
            // The first answer at once; the second slow enough that its task is in flight when SIGTERM arrives.
            api.script(Self.answer("first"), .delayed(.seconds(3), Self.answer("second")))
            let port = try FreePort.find()
            let environment: [Environment.Key: String?] = [
                "REDIS_URL": bus.url, "SB_PREFIX": bus.keys.prefix, "SB_REGISTRY": RepositoryPaths.registry.path, "SB_CONSUMER": "proc",
                "METRICS_PORT": String(port), "METRICS_HOST": "127.0.0.1", "SB_SHUTDOWN_GRACE": "30s", "LOG_LEVEL": "warning",
                "LLM_PROVIDER": "anthropic", "ANTHROPIC_API_KEY": "test-key", "ANTHROPIC_BASE_URL": api.url, "LLM_MODEL": "claude-sonnet-4-5",
                "LLM_STREAM": "false", "LLM_MAX_RETRIES": "0",
            ]
            let result = try await Subprocess.run(
                .path(.init(RepositoryPaths.executable("assistant"))), environment: .inherit.updating(environment), input: .none,
                output: .string(limit: 1 << 20), error: .string(limit: 1 << 20)
            ) { execution in
                try await eventually("ready", timeout: .seconds(30)) { try await Self.get("/readyz", port: port).status == 200 }
                let metric = #"switchboard_tasks_completed_total{agent="assistant"}"#
                #expect(try await Self.get("/metrics", port: port).body.contains("\(metric) 0"))

                let first = try await Self.ask("first", bus: bus)
                try await eventually("first completed") { try await bus.status(first) == .completed }
                let metrics = try await Self.get("/metrics", port: port).body
                #expect(metrics.contains("\(metric) 1"))
                #expect(metrics.contains(#"switchboard_messages_received_total{agent="assistant"} 1"#))
                #expect(metrics.contains(#"switchboard_messages_acked_total{agent="assistant"} 1"#))

                let second = try await Self.ask("second", bus: bus)
                try await eventually("the second is at the model") { api.received.count == 2 }
                try execution.send(signal: .terminate)
                // The listener stops last, so while the task drains /readyz answers 503 (and /healthz still 200).
                try await eventually("503 once draining") { try await Self.get("/readyz", port: port).status == 503 }
                #expect(try await Self.get("/healthz", port: port).status == 200)
                #expect(try await bus.status(second) == .running)
                return second
            }
            #expect(result.terminationStatus == .exited(0), "\(result.standardError)")
            #expect(try await bus.status(result.closureResult) == .completed)
            #expect(try await bus.pendingCount(agent: "assistant") == 0)
            #expect(try await bus.broker.liveness.liveInstances(agent: "assistant").isEmpty)
        } teardown: {
            await api.stop()
        }
    }
}
