@testable import AgentBase
import Foundation
import SwitchboardTesting
import Hummingbird
import HummingbirdTesting
import Logging
import Metrics
import Prometheus
import Testing

/// Log lines (text, JSON, redaction), secrets from the environment, and the /metrics listener.
struct ObservabilityTests {
    // Token-shaped test data is assembled at run time so no scanner sees a literal credential.
    private static let githubToken = "gh" + "p_" + String(repeating: "A1b2", count: 9)
    private static let slackToken = "xo" + "xb-" + "1234567890-abcdefghijkl"
    private static let botToken = "123456789" + ":" + String(repeating: "AbC", count: 12)

    @Test("secrets are masked in messages, metadata and URLs")
    func redaction() {
        #expect(!Redactor.redact("cloning with \(Self.githubToken)").contains(Self.githubToken))
        #expect(!Redactor.redact("Authorization: Bearer \(Self.slackToken)").contains(Self.slackToken))
        #expect(!Redactor.redact("https://api.telegram.example/bot\(Self.botToken)/getUpdates").contains(Self.botToken))
        #expect(Redactor.redact("redis://app:hunter2hunter@cache:6379/0") == "redis://app:***@cache:6379/0")
        #expect(Redactor.redact("nothing secret here") == "nothing secret here")
        #expect(Redactor.isSensitive(key: "GITHUB_TOKEN"))
        #expect(Redactor.isSensitive(key: "x-api_key"))
        #expect(!Redactor.isSensitive(key: "task"))
    }

    @Test("a LoginLink metadata value is written whole, the same token anywhere else is masked; localhost for every interface")
    func loginLink() {
        let token = "sbt_" + String(repeating: "Q7x_", count: 10)
        let link = LoginLink(host: "0.0.0.0", port: 8080, token: token)
        #expect(link.description == "http://localhost:8080/login#token=\(token)")
        #expect(LoginLink(host: "::", port: 1, token: "t").description == "http://localhost:1/login#token=t")
        #expect(LoginLink(host: "10.0.0.2", port: 80, token: "t").description == "http://10.0.0.2:80/login#token=t")
        #expect(LoginLink(host: "fd00::1", port: 80, token: "t").description == "http://[fd00::1]:80/login#token=t")
        #expect(Redactor.redact("token \(token) and \(link)") == "token *** and http://localhost:8080/login#token=***")
        for format in [SwitchboardLogHandler.Format.text, .json] {
            let line = SwitchboardLogHandler.render(
                format: format, label: "gateway", level: .notice, message: "log in with \(token)",
                metadata: ["login": .stringConvertible(link), "copy": .string(link.description), "token": .stringConvertible(token)], source: "test"
            )
            #expect(line.components(separatedBy: token).count == 2, "\(format): the link alone carries the token: \(line)")
            #expect(line.contains(link.description), "\(format): \(line)")
        }
    }

    @Test("URL credentials are masked in every URL of a line, a token alone in the user part included")
    func urlCredentials() {
        let token = Self.githubToken
        #expect(Redactor.redact("fetching https://\(token)@github.com/acme/app.git") == "fetching https://***@github.com/acme/app.git")
        #expect(Redactor.redact("https://x-access-token:\(token)@github.com/a.git") == "https://x-access-token:***@github.com/a.git")
        let opaque = "k9" + String(repeating: "Zq", count: 10)
        #expect(Redactor.redact("push https://\(opaque)@git.example.com/a.git then http://u:\(opaque)@h/b") == "push https://***@git.example.com/a.git then http://u:***@h/b")
        #expect(Redactor.redact("redis://:\(opaque)@cache:6379/0") == "redis://:***@cache:6379/0")
        #expect(Redactor.redact("redis://app:p@ss\(opaque)@cache/0") == "redis://app:***@cache/0")
        #expect(Redactor.redact("https://example.com/a@b and mail me@example.com") == "https://example.com/a@b and mail me@example.com")
    }

    @Test("the cheap prefilter never hides a shape: mixed-case bearer, and every shape still found beside plain text")
    func prefilter() {
        let bearer = "x" + String(repeating: "Ab9", count: 5)
        #expect(Redactor.redact("authorization: bEaReR \(bearer)") == "authorization: ***")
        #expect(SecretShape.contains("bearer", in: "BEARER", ignoringCase: true))
        #expect(!SecretShape.contains("bearer", in: "beare"))
        #expect(SecretShape.contains("ab", in: "xxab"))
        #expect(!SecretShape.contains("ab", in: "xxa"))
        #expect(SecretShape.contains("é:", in: "café: x"))
        for line in ["plain", "a line with \(Self.botToken) inside", "slack \(Self.slackToken)"] {
            let shapes = SecretShape.all.filter { $0.mask(line) != line }
            #expect(shapes.allSatisfy { $0.mayMatch(line) }, "\(line)")
        }
    }

    @Test("JSON log lines are one object with ts, level, logger, msg and metadata, secrets masked")
    func jsonLines() throws {
        let line = SwitchboardLogHandler.render(
            format: .json, label: "switchboard.scraper", level: .info, message: "fetched with \(Self.githubToken)",
            metadata: ["task": "t-1", "api_token": "\(Self.slackToken)"], source: "AgentBase"
        )
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
        #expect(object["level"] == "info")
        #expect(object["logger"] == "switchboard.scraper")
        #expect(object["task"] == "t-1")
        #expect(object["api_token"] == "***")
        #expect(object["msg"]?.contains(Self.githubToken) == false)
        #expect(object["ts"] != nil)
        let text = SwitchboardLogHandler.render(format: .text, label: "x", level: .warning, message: "hello", metadata: ["a": "1"], source: "")
        #expect(text.hasSuffix("WARNING x: hello a=1"))
    }

    @Test("secrets come from NAME or the file named by NAME_FILE")
    func secrets() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("secret-\(UUID().uuidString)")
        try "from-a-file\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        #expect(try SwitchboardEnvironment(["GITHUB_TOKEN": "direct"]).secret("GITHUB_TOKEN") == "direct")
        #expect(try SwitchboardEnvironment(["GITHUB_TOKEN_FILE": file.path]).secret("GITHUB_TOKEN") == "from-a-file")
        #expect(try SwitchboardEnvironment([:]).secret("GITHUB_TOKEN") == nil)
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("secret-\(UUID().uuidString)")
        try "\n".write(to: empty, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: empty) }
        #expect(try SwitchboardEnvironment(["GITHUB_TOKEN_FILE": empty.path]).secret("GITHUB_TOKEN") == nil)
        #expect(throws: ConfigurationError.self) { try SwitchboardEnvironment(["GITHUB_TOKEN_FILE": "/nonexistent"]).secret("GITHUB_TOKEN") }
        let defaults = SwitchboardEnvironment([:])
        #expect(defaults.redisURL == "redis://127.0.0.1:6379/0")
        #expect(defaults.prefix == "sb")
        #expect(defaults.registryPath == "Registry/agents.yaml")
        #expect(defaults.taskTTL == .seconds(604_800))
    }

    @Test("/metrics, /healthz and /readyz over real HTTP")
    func httpListener() async throws {
        let readiness = Readiness()
        let counter = Observability.registry.makeCounter(descriptor: MetricNameDescriptor(metricName: "switchboard_test_probe", unitName: "total", helpText: "test probe"), labels: [("agent", "worker")])
        counter.increment(by: Int64(3))
        let router = Router()
        ObservabilityServer.addRoutes(to: router, readiness: readiness)
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == #"{"status":"ok"}"#)
            }
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(String(buffer: response.body).contains("error"))
            }
            readiness.set(true)
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains(#"switchboard_test_probe_total{agent="worker"} 3"#))
            }
        }
    }
}
