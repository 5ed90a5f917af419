// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "Switchboard",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "AgentBase", targets: ["AgentBase"]),
        .library(name: "Gateway", targets: ["Gateway"]),
        .executable(name: "gateway", targets: ["GatewayExecutable"]),
        .library(name: "Scraper", targets: ["Scraper"]),
        .executable(name: "scraper", targets: ["ScraperExecutable"]),
        .executable(name: "agentctl", targets: ["agentctl"]),
        .executable(name: "broker-bench", targets: ["broker-bench"]),
        .library(name: "GitKit", targets: ["GitKit"]),
        .library(name: "Forge", targets: ["Forge"]),
        .library(name: "RepoManager", targets: ["RepoManager"]),
        .executable(name: "repo-manager", targets: ["RepoManagerExecutable"]),
        .executable(name: "pr-reviewer", targets: ["PRReviewerExecutable"]),
        .executable(name: "scraper-bench", targets: ["scraper-bench"]),
        .library(name: "Workflows", targets: ["Workflows"]),
        .library(name: "Orchestrator", targets: ["Orchestrator"]),
        .executable(name: "orchestrator", targets: ["OrchestratorExecutable"]),
        .executable(name: "review-bench", targets: ["review-bench"]),
        .library(name: "CodeWriter", targets: ["CodeWriter"]),
        .executable(name: "code-writer", targets: ["CodeWriterExecutable"]),
        .library(name: "LLMProviders", targets: ["LLMProviders"]),
        .library(name: "Assistant", targets: ["Assistant"]),
        .executable(name: "assistant", targets: ["AssistantExecutable"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/swiftlang/swift-subprocess.git", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-system.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CHiredis",
            path: "Libraries/CHiredis",
            pkgConfig: "hiredis",
            providers: [.apt(["libhiredis-dev"])]
        ),
        .systemLibrary(
            name: "CLibXML2",
            path: "Libraries/CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        .target(
            name: "AgentBase",
            dependencies: [
                "CHiredis",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Libraries/AgentBase"
        ),
        .target(
            name: "Gateway",
            dependencies: [
                "AgentBase",
                "Workflows",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Services/Gateway/Library",
            resources: [.copy("openapi.json")]
        ),
        .executableTarget(
            name: "GatewayExecutable",
            dependencies: ["Gateway", "AgentBase"],
            path: "Services/Gateway/Executable"
        ),
        .target(
            name: "Scraper",
            dependencies: [
                "AgentBase",
                "CLibXML2",
                "GitKit",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Services/Scraper/Library"
        ),
        .executableTarget(
            name: "ScraperExecutable",
            dependencies: ["Scraper", "AgentBase", "GitKit", .product(name: "Logging", package: "swift-log")],
            path: "Services/Scraper/Executable"
        ),
        .executableTarget(
            name: "agentctl",
            dependencies: [
                "AgentBase",
                "Gateway",
                "Workflows",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            path: "Tools/agentctl"
        ),
        .executableTarget(
            name: "broker-bench",
            dependencies: [
                "AgentBase",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Tools/broker-bench"
        ),
        .executableTarget(
            name: "scraper-bench",
            dependencies: [
                "Scraper",
                "AgentBase",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tools/scraper-bench"
        ),
        .executableTarget(
            name: "review-bench",
            dependencies: [
                "PRReviewer",
                "AgentBase",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Tools/review-bench"
        ),
        .target(
            name: "PRReviewer",
            dependencies: [
                "AgentBase",
                "GitKit",
                "Forge",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ],
            path: "Services/PRReviewer/Library"
        ),
        .executableTarget(
            name: "PRReviewerExecutable",
            dependencies: ["PRReviewer", "AgentBase", "LLMProviders"],
            path: "Services/PRReviewer/Executable"
        ),
        .target(
            name: "GitKit",
            dependencies: [
                "AgentBase",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            path: "Libraries/GitKit"
        ),
        .target(
            name: "Forge",
            dependencies: [
                "AgentBase",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            path: "Libraries/Forge"
        ),
        .target(
            name: "RepoManager",
            dependencies: ["AgentBase", "GitKit"],
            path: "Services/RepoManager/Library"
        ),
        .executableTarget(
            name: "RepoManagerExecutable",
            dependencies: ["RepoManager", "AgentBase", "LLMProviders"],
            path: "Services/RepoManager/Executable"
        ),
        .target(
            name: "CodeWriter",
            dependencies: ["AgentBase", "GitKit", "Forge", .product(name: "Logging", package: "swift-log")],
            path: "Services/CodeWriter/Library"
        ),
        .executableTarget(
            name: "CodeWriterExecutable",
            dependencies: ["CodeWriter", "AgentBase", "LLMProviders"],
            path: "Services/CodeWriter/Executable"
        ),
        .target(
            name: "LLMProviders",
            dependencies: [
                "AgentBase",
                "GitKit",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Libraries/LLMProviders"
        ),
        .target(
            name: "Assistant",
            dependencies: ["AgentBase", .product(name: "Logging", package: "swift-log")],
            path: "Services/Assistant/Library"
        ),
        .executableTarget(
            name: "AssistantExecutable",
            dependencies: ["Assistant", "AgentBase", "LLMProviders", .product(name: "Logging", package: "swift-log")],
            path: "Services/Assistant/Executable"
        ),
        .target(
            name: "SwitchboardTesting",
            dependencies: [
                "AgentBase",
                "GitKit",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/Support"
        ),
        .testTarget(
            name: "AgentBaseTests",
            dependencies: [
                "AgentBase",
                "SwitchboardTesting",
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            path: "Tests/AgentBaseTests"
        ),
        .testTarget(
            name: "ScraperTests",
            dependencies: [
                "Scraper",
                "AgentBase",
                "GitKit",
                "SwitchboardTesting",
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            path: "Tests/ScraperTests",
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "GatewayTests",
            dependencies: [
                "Gateway",
                "CodeWriter",
                "LLMProviders",
                "AgentBase",
                "SwitchboardTesting",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Tests/GatewayTests"
        ),
        .testTarget(
            name: "PRReviewerTests",
            dependencies: [
                "PRReviewer",
                "AgentBase",
                "GitKit",
                "Forge",
                "LLMProviders",
                "SwitchboardTesting",
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            path: "Tests/PRReviewerTests",
            exclude: ["Fixtures"]
        ),
        .target(
            name: "Workflows",
            dependencies: ["AgentBase", .product(name: "Yams", package: "Yams")],
            path: "Libraries/Workflows"
        ),
        .target(
            name: "Orchestrator",
            dependencies: [
                "AgentBase",
                "Workflows",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Services/Orchestrator/Library"
        ),
        .executableTarget(
            name: "OrchestratorExecutable",
            dependencies: ["Orchestrator", "Workflows", "AgentBase", .product(name: "Logging", package: "swift-log")],
            path: "Services/Orchestrator/Executable"
        ),
        .testTarget(
            name: "OrchestratorTests",
            dependencies: [
                "Orchestrator",
                "Scraper",
                .product(name: "Hummingbird", package: "hummingbird"),
                "Workflows",
                "AgentBase",
                "SwitchboardTesting",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/OrchestratorTests"
        ),
        .testTarget(
            name: "RepoManagerTests",
            dependencies: [
                "RepoManager",
                "GitKit",
                "Forge",
                "AgentBase",
                "LLMProviders",
                "SwitchboardTesting",
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            path: "Tests/RepoManagerTests"
        ),
        .testTarget(
            name: "DeploymentTests",
            dependencies: [
                "AgentBase",
                "SwitchboardTesting",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Subprocess", package: "swift-subprocess"),
            ],
            path: "Tests/DeploymentTests"
        ),
        .testTarget(
            name: "CodeWriterTests",
            dependencies: [
                "CodeWriter",
                "GitKit",
                "Forge",
                "AgentBase",
                "LLMProviders",
                "SwitchboardTesting",
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            path: "Tests/CodeWriterTests"
        ),
        .testTarget(
            name: "LLMTests",
            dependencies: [
                "LLMProviders",
                "AgentBase",
                "GitKit",
                "SwitchboardTesting",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Tests/LLMTests"
        ),
        .testTarget(
            name: "AssistantTests",
            dependencies: [
                "Assistant",
                "LLMProviders",
                "AgentBase",
                "SwitchboardTesting",
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            path: "Tests/AssistantTests"
        ),
    ],
    swiftLanguageModes: [.v6]
)
