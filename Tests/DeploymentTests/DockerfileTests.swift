import Foundation
import Testing

/// The Dockerfile, read as text (no engine here): stages, static stdlib, every executable, non-root, health check.
struct DockerfileTests {
    let dockerfile: String
    /// Instructions with continuation lines joined and comments dropped.
    let instructions: [String]

    init() throws {
        dockerfile = try DeploymentFiles.text("Dockerfile")
        instructions = dockerfile
            .split(separator: "\n")
            .filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("#") }
            .joined(separator: "\n")
            .replacingOccurrences(of: "\\\n", with: " ")
            .split(separator: "\n")
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
    }

    private func lines(starting keyword: String) -> [String] {
        instructions.filter { $0.uppercased().hasPrefix("\(keyword) ") }
    }

    /// The instructions of the last stage (the runtime image).
    private var runtimeStage: [String] {
        let start = instructions.lastIndex { $0.uppercased().hasPrefix("FROM ") } ?? 0
        return Array(instructions[start...])
    }

    @Test("a Swift 6 build stage and a slim Debian runtime stage")
    func stages() throws {
        let stages = lines(starting: "FROM")
        #expect(stages.count >= 2, "multi-stage build")
        #expect(stages.first?.contains(/swift:6\.\d+/) == true, "build on the official Swift 6 image: \(stages)")
        #expect(stages.last?.contains("debian:bookworm-slim") == true, "run on debian:bookworm-slim: \(stages)")
        #expect(lines(starting: "RUN").contains { $0.contains("libhiredis-dev") && $0.contains("libxml2-dev") })
        #expect(runtimeStage.contains { $0.contains("libhiredis0.14") && $0.contains("libxml2") && $0.contains("git") && $0.contains("ca-certificates") })
        #expect(runtimeStage.contains { $0.contains("apt-get install") && $0.contains("bubblewrap") }, "the sandbox of test commands")
    }

    @Test("release builds with the Swift runtime linked in, resource bundles beside the executables")
    func build() {
        #expect(lines(starting: "RUN").contains { $0.contains("swift build -c release --static-swift-stdlib") })
        #expect(instructions.contains { $0.contains(".resources") }, "the gateway's Switchboard_Gateway.resources bundle must be copied")
        #expect(runtimeStage.contains { $0.hasPrefix("COPY Registry/") }, "the registry ships in the image")
        #expect(runtimeStage.contains { $0.contains("SB_REGISTRY=/app/Registry/agents.yaml") })
    }

    @Test("the image holds every service executable and agentctl, and only those")
    func executables() throws {
        let argument = try #require(lines(starting: "ARG").first { $0.hasPrefix("ARG PRODUCTS=") }, "ARG PRODUCTS=\"…\" lists the executables")
        let products = Set(argument.dropFirst("ARG PRODUCTS=".count).trimmingCharacters(in: CharacterSet(charactersIn: "\"")).split(separator: " ").map(String.init))
        let expected = try DeploymentFiles.imageExecutables()
        #expect(products == expected)
        let shipped = try DeploymentFiles.executableProducts().filter { !DeploymentFiles.isDeveloperTool($0) }
        #expect(shipped.isSubset(of: products), "executable products missing from the image: \(shipped.subtracting(products).sorted())")
    }

    @Test("the runtime runs as a non-root user, checks /healthz and defaults to the gateway")
    func runtime() throws {
        let user = try #require(runtimeStage.last { $0.uppercased().hasPrefix("USER ") }, "no USER in the runtime stage")
        let name = user.dropFirst(5).split(separator: ":").first.map(String.init) ?? ""
        #expect(!["root", "0", ""].contains(name), "runs as \(name)")
        let healthcheck = try #require(runtimeStage.first { $0.uppercased().hasPrefix("HEALTHCHECK ") })
        #expect(healthcheck.contains("/healthz"))
        #expect(runtimeStage.last { $0.uppercased().hasPrefix("CMD ") } == #"CMD ["gateway"]"#)
    }

    @Test(".dockerignore keeps build folders, local data and git history out of the context")
    func dockerignore() throws {
        let patterns = Set(try DeploymentFiles.text(".dockerignore").split(separator: "\n").map(String.init))
        for required in [".build", ".data", ".git"] {
            #expect(patterns.contains(required), ".dockerignore must exclude \(required)")
        }
    }
}
