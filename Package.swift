// swift-tools-version:6.2
import PackageDescription

/// Applied to every target: the language as it will be, and every module a file uses imported by that file.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

/// Other packages' products, named after the module a file imports.
extension Target.Dependency {
    static let argumentParser: Self = .product(name: "ArgumentParser", package: "swift-argument-parser")
    static let asyncHTTPClient: Self = .product(name: "AsyncHTTPClient", package: "async-http-client")
    static let coreMetrics: Self = .product(name: "CoreMetrics", package: "swift-metrics")
    static let crypto: Self = .product(name: "Crypto", package: "swift-crypto")
    static let httpTypes: Self = .product(name: "HTTPTypes", package: "swift-http-types")
    static let hummingbird: Self = .product(name: "Hummingbird", package: "hummingbird")
    static let hummingbirdCore: Self = .product(name: "HummingbirdCore", package: "hummingbird")
    static let hummingbirdTesting: Self = .product(name: "HummingbirdTesting", package: "hummingbird")
    static let hummingbirdWebSocket: Self = .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket")
    static let hummingbirdWSClient: Self = .product(name: "HummingbirdWSClient", package: "hummingbird-websocket")
    static let logging: Self = .product(name: "Logging", package: "swift-log")
    static let metrics: Self = .product(name: "Metrics", package: "swift-metrics")
    static let nioCore: Self = .product(name: "NIOCore", package: "swift-nio")
    static let nioFoundationEssentialsCompat: Self = .product(name: "NIOFoundationEssentialsCompat", package: "swift-nio")
    static let nioHTTP1: Self = .product(name: "NIOHTTP1", package: "swift-nio")
    static let nioHTTPCompression: Self = .product(name: "NIOHTTPCompression", package: "swift-nio-extras")
    static let nioPosix: Self = .product(name: "NIOPosix", package: "swift-nio")
    static let prometheus: Self = .product(name: "Prometheus", package: "swift-prometheus")
    static let serviceLifecycle: Self = .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
    static let subprocess: Self = .product(name: "Subprocess", package: "swift-subprocess")
    static let systemPackage: Self = .product(name: "SystemPackage", package: "swift-system")
    static let unixSignals: Self = .product(name: "UnixSignals", package: "swift-service-lifecycle")
    static let yams: Self = .product(name: "Yams", package: "Yams")
}

/// A library target under `Libraries/<name>` (or `path`), with the shared settings.
func library(_ name: String, path: String? = nil, _ dependencies: [Target.Dependency], resources: [Resource]? = nil) -> Target {
    .target(name: name, dependencies: dependencies, path: path ?? "Libraries/\(name)", resources: resources, swiftSettings: swiftSettings)
}

/// A service in the one shape: its library `Services/<name>/Library` (the `<name>Service` type and its parts) and its
/// executable `Services/<name>/Executable`, which runs that type and links `LLMProviders` when the service uses a model.
func service(_ name: String, _ dependencies: [Target.Dependency], usesModel: Bool = false, resources: [Resource]? = nil) -> [Target] {
    [
        library(name, path: "Services/\(name)/Library", dependencies, resources: resources),
        .executableTarget(
            name: "\(name)Executable",
            dependencies: ["AgentBase", .target(name: name)] + (usesModel ? ["LLMProviders"] : []),
            path: "Services/\(name)/Executable",
            swiftSettings: swiftSettings
        ),
    ]
}

/// An executable under `Tools/<name>`.
func tool(_ name: String, _ dependencies: [Target.Dependency]) -> Target {
    .executableTarget(name: name, dependencies: dependencies, path: "Tools/\(name)", swiftSettings: swiftSettings)
}

/// A test target under `Tests/<name>`.
func tests(_ name: String, _ dependencies: [Target.Dependency], exclude: [String] = []) -> Target {
    .testTarget(name: name, dependencies: dependencies, path: "Tests/\(name)", exclude: exclude, swiftSettings: swiftSettings)
}

// MARK: System libraries (C shims)
let systemLibraries: [Target] = [
    .systemLibrary(name: "CHiredis", path: "Libraries/CHiredis", pkgConfig: "hiredis", providers: [.apt(["libhiredis-dev"])]),
    .systemLibrary(name: "CLibXML2", path: "Libraries/CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
]

// MARK: Core libraries
let coreLibraries: [Target] = [
    library("AgentBase", ["CHiredis", .coreMetrics, .crypto, .hummingbird, .logging, .metrics, .prometheus, .serviceLifecycle, .unixSignals, .yams]),
    // Argv subprocesses with time limits, and the bubblewrap sandbox.
    library("Sandboxing", ["AgentBase", .logging, .subprocess, .systemPackage]),
    library("GitKit", ["AgentBase", "Sandboxing", .crypto, .logging]),
    library("Forge", ["AgentBase", .asyncHTTPClient, .nioCore, .nioFoundationEssentialsCompat, .nioHTTP1]),
    library("LLMProviders", ["AgentBase", "Sandboxing", .asyncHTTPClient, .nioCore, .nioFoundationEssentialsCompat, .nioHTTP1]),
    library("Workflows", ["AgentBase", .yams]),
]

// MARK: Services: one library and one executable each
let services: [Target] = [
    service(
        "Gateway",
        [
            "AgentBase", "Workflows", .asyncHTTPClient, .crypto, .httpTypes, .hummingbird, .hummingbirdWSClient, .logging, .nioCore,
            .nioFoundationEssentialsCompat, .nioHTTP1, .serviceLifecycle, .unixSignals,
        ],
        resources: [.copy("openapi.json"), .copy("Web/Assets")]
    ),
    service("PRReviewer", ["AgentBase", "Forge", "GitKit", .logging, .yams], usesModel: true),
    service("CodeWriter", ["AgentBase", "Forge", "GitKit", "Sandboxing", .logging], usesModel: true),
    service("Scraper", ["AgentBase", "CLibXML2", "GitKit", .asyncHTTPClient, .crypto, .logging, .nioCore, .nioHTTP1, .nioHTTPCompression]),
    service("RepoManager", ["AgentBase", "GitKit", "Sandboxing", .logging], usesModel: true),
    service("Assistant", ["AgentBase", .logging], usesModel: true),
    service("Orchestrator", ["AgentBase", "Workflows", .logging, .serviceLifecycle]),
].flatMap { $0 }

// MARK: Tools
let tools: [Target] = [
    tool("agentctl", ["AgentBase", "Gateway", "Workflows", .argumentParser, .subprocess, .systemPackage, .unixSignals]),
    tool("broker-bench", ["AgentBase", .argumentParser]),
    tool("review-bench", ["AgentBase", "PRReviewer", .argumentParser]),
    tool("scraper-bench", ["AgentBase", "Scraper", .argumentParser, .hummingbird, .logging, .nioCore, .serviceLifecycle]),
]

// MARK: Test support and tests
let testTargets: [Target] = [
    library("SwitchboardTesting", path: "Tests/Support", ["AgentBase", "Sandboxing", .hummingbird, .hummingbirdCore, .logging, .serviceLifecycle]),
    tests("AgentBaseTests", [
        "AgentBase", "SwitchboardTesting", .hummingbird, .hummingbirdTesting, .logging, .metrics, .prometheus, .subprocess, .systemPackage,
    ]),
    tests("SandboxingTests", ["Sandboxing"]),
    tests("LLMTests", ["AgentBase", "LLMProviders", "Sandboxing", "SwitchboardTesting"]),
    tests("GatewayTests", [
        "AgentBase", "CodeWriter", "Gateway", "LLMProviders", "Orchestrator", "PRReviewer", "SwitchboardTesting", "Workflows", .crypto, .httpTypes, .hummingbird, .hummingbirdCore, .hummingbirdTesting,
        .hummingbirdWebSocket, .logging, .nioCore, .nioFoundationEssentialsCompat, .nioPosix, .serviceLifecycle,
    ]),
    tests(
        "PRReviewerTests",
        ["AgentBase", "Forge", "GitKit", "LLMProviders", "PRReviewer", "SwitchboardTesting", .hummingbird, .logging, .nioFoundationEssentialsCompat],
        exclude: ["Fixtures"]
    ),
    tests("CodeWriterTests", ["AgentBase", "CodeWriter", "Forge", "GitKit", "LLMProviders", "Sandboxing", "SwitchboardTesting", .hummingbird]),
    tests("ScraperTests", ["AgentBase", "GitKit", "Scraper", "SwitchboardTesting", .hummingbird, .nioCore], exclude: ["Fixtures"]),
    tests("RepoManagerTests", ["AgentBase", "Forge", "GitKit", "LLMProviders", "RepoManager", "Sandboxing", "SwitchboardTesting", .hummingbird, .logging]),
    tests("AssistantTests", ["AgentBase", "Assistant", "LLMProviders", "SwitchboardTesting"]),
    tests("OrchestratorTests", ["AgentBase", "Orchestrator", "Scraper", "SwitchboardTesting", "Workflows", .hummingbird, .serviceLifecycle]),
    tests("DeploymentTests", ["AgentBase", "SwitchboardTesting", .subprocess, .systemPackage, .yams]),
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
    targets: systemLibraries + coreLibraries + services + tools + testTargets,
    swiftLanguageModes: [.v6]
)
