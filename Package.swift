// swift-tools-version:6.2
import PackageDescription

/// Applied to every target: the language as it will be, and every module a file uses imported by that file.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "Switchboard",
    platforms: [.macOS(.v15)],
    products: [
        // Core libraries
        .library(name: "AgentBase", targets: ["AgentBase"]),
        .library(name: "Sandboxing", targets: ["Sandboxing"]),
        .library(name: "GitKit", targets: ["GitKit"]),
        .library(name: "Forge", targets: ["Forge"]),
        .library(name: "LLMProviders", targets: ["LLMProviders"]),
        .library(name: "Workflows", targets: ["Workflows"]),
        // Services: the library and the executable named after the registry
        .library(name: "Gateway", targets: ["Gateway"]),
        .executable(name: "gateway", targets: ["GatewayExecutable"]),
        .library(name: "PRReviewer", targets: ["PRReviewer"]),
        .executable(name: "pr-reviewer", targets: ["PRReviewerExecutable"]),
        .library(name: "CodeWriter", targets: ["CodeWriter"]),
        .executable(name: "code-writer", targets: ["CodeWriterExecutable"]),
        .library(name: "Scraper", targets: ["Scraper"]),
        .executable(name: "scraper", targets: ["ScraperExecutable"]),
        .library(name: "RepoManager", targets: ["RepoManager"]),
        .executable(name: "repo-manager", targets: ["RepoManagerExecutable"]),
        .library(name: "Assistant", targets: ["Assistant"]),
        .executable(name: "assistant", targets: ["AssistantExecutable"]),
        .library(name: "Orchestrator", targets: ["Orchestrator"]),
        .executable(name: "orchestrator", targets: ["OrchestratorExecutable"]),
        // Tools
        .executable(name: "agentctl", targets: ["agentctl"]),
        .executable(name: "broker-bench", targets: ["broker-bench"]),
        .executable(name: "review-bench", targets: ["review-bench"]),
        .executable(name: "scraper-bench", targets: ["scraper-bench"]),
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
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
    ],
    targets: [
        // MARK: System libraries (C shims)
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

        // MARK: Core libraries
        .target(
            name: "AgentBase",
            dependencies: [
                "CHiredis",
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ],
            path: "Libraries/AgentBase",
            swiftSettings: swiftSettings
        ),
        // Argv subprocesses with time limits, and the bubblewrap sandbox.
        .target(
            name: "Sandboxing",
            dependencies: [
                "AgentBase",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            path: "Libraries/Sandboxing",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "GitKit",
            dependencies: [
                "AgentBase",
                "Sandboxing",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Libraries/GitKit",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Forge",
            dependencies: [
                "AgentBase",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationEssentialsCompat", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Libraries/Forge",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "LLMProviders",
            dependencies: [
                "AgentBase",
                "Sandboxing",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationEssentialsCompat", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Libraries/LLMProviders",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Workflows",
            dependencies: ["AgentBase", .product(name: "Yams", package: "Yams")],
            path: "Libraries/Workflows",
            swiftSettings: swiftSettings
        ),

        // MARK: Services: one library (the service type and its parts) and one executable each
        .target(
            name: "Gateway",
            dependencies: [
                "AgentBase",
                "Workflows",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationEssentialsCompat", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            path: "Services/Gateway/Library",
            resources: [.copy("openapi.json")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "GatewayExecutable",
            dependencies: ["AgentBase", "Gateway"],
            path: "Services/Gateway/Executable",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PRReviewer",
            dependencies: [
                "AgentBase",
                "Forge",
                "GitKit",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ],
            path: "Services/PRReviewer/Library",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "PRReviewerExecutable",
            dependencies: ["AgentBase", "LLMProviders", "PRReviewer"],
            path: "Services/PRReviewer/Executable",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "CodeWriter",
            dependencies: ["AgentBase", "Forge", "GitKit", "Sandboxing", .product(name: "Logging", package: "swift-log")],
            path: "Services/CodeWriter/Library",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "CodeWriterExecutable",
            dependencies: ["AgentBase", "CodeWriter", "LLMProviders"],
            path: "Services/CodeWriter/Executable",
            swiftSettings: swiftSettings
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
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPCompression", package: "swift-nio-extras"),
            ],
            path: "Services/Scraper/Library",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "ScraperExecutable",
            dependencies: ["AgentBase", "Scraper"],
            path: "Services/Scraper/Executable",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "RepoManager",
            dependencies: ["AgentBase", "GitKit", "Sandboxing", .product(name: "Logging", package: "swift-log")],
            path: "Services/RepoManager/Library",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "RepoManagerExecutable",
            dependencies: ["AgentBase", "LLMProviders", "RepoManager"],
            path: "Services/RepoManager/Executable",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Assistant",
            dependencies: ["AgentBase", .product(name: "Logging", package: "swift-log")],
            path: "Services/Assistant/Library",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "AssistantExecutable",
            dependencies: ["AgentBase", "Assistant", "LLMProviders"],
            path: "Services/Assistant/Executable",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Orchestrator",
            dependencies: [
                "AgentBase",
                "Workflows",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Services/Orchestrator/Library",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "OrchestratorExecutable",
            dependencies: ["AgentBase", "Orchestrator"],
            path: "Services/Orchestrator/Executable",
            swiftSettings: swiftSettings
        ),

        // MARK: Tools
        .executableTarget(
            name: "agentctl",
            dependencies: [
                "AgentBase",
                "Workflows",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            path: "Tools/agentctl",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "broker-bench",
            dependencies: ["AgentBase", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Tools/broker-bench",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "review-bench",
            dependencies: ["AgentBase", "PRReviewer", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Tools/review-bench",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "scraper-bench",
            dependencies: [
                "AgentBase",
                "Scraper",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tools/scraper-bench",
            swiftSettings: swiftSettings
        ),

        // MARK: Test support and tests
        .target(
            name: "SwitchboardTesting",
            dependencies: [
                "AgentBase",
                "Sandboxing",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/Support",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AgentBaseTests",
            dependencies: [
                "AgentBase",
                "SwitchboardTesting",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            path: "Tests/AgentBaseTests",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "LLMTests",
            dependencies: ["AgentBase", "LLMProviders", "Sandboxing", "SwitchboardTesting"],
            path: "Tests/LLMTests",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "GatewayTests",
            dependencies: [
                "AgentBase",
                "Gateway",
                "SwitchboardTesting",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationEssentialsCompat", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/GatewayTests",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PRReviewerTests",
            dependencies: [
                "AgentBase",
                "Forge",
                "GitKit",
                "LLMProviders",
                "PRReviewer",
                "SwitchboardTesting",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOFoundationEssentialsCompat", package: "swift-nio"),
            ],
            path: "Tests/PRReviewerTests",
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CodeWriterTests",
            dependencies: [
                "AgentBase",
                "CodeWriter",
                "Forge",
                "GitKit",
                "LLMProviders",
                "Sandboxing",
                "SwitchboardTesting",
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            path: "Tests/CodeWriterTests",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ScraperTests",
            dependencies: [
                "AgentBase",
                "GitKit",
                "Scraper",
                "SwitchboardTesting",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Tests/ScraperTests",
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RepoManagerTests",
            dependencies: [
                "AgentBase",
                "Forge",
                "GitKit",
                "LLMProviders",
                "RepoManager",
                "Sandboxing",
                "SwitchboardTesting",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/RepoManagerTests",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AssistantTests",
            dependencies: ["AgentBase", "Assistant", "LLMProviders", "SwitchboardTesting"],
            path: "Tests/AssistantTests",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "OrchestratorTests",
            dependencies: [
                "AgentBase",
                "Orchestrator",
                "Scraper",
                "SwitchboardTesting",
                "Workflows",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/OrchestratorTests",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DeploymentTests",
            dependencies: [
                "AgentBase",
                "SwitchboardTesting",
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Yams", package: "Yams"),
            ],
            path: "Tests/DeploymentTests",
            swiftSettings: swiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
