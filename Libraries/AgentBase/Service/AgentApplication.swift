import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

/// Everything one agent process runs: the validated registry entry, the bus, the runner and,
/// when `METRICS_PORT` is set, the observability listener — in one `ServiceGroup` that drains on
/// SIGTERM/SIGINT. An agent service's `application` builds this and `ServiceMain` runs it.
public struct AgentApplication: ServiceApplication {
    public let entry: AgentEntry
    public let runner: AgentRunner
    public let bus: RedisBus
    /// The agent's own long-running parts, run in the same group as the runner.
    private let additional: [any Service]
    private let environment: SwitchboardEnvironment
    private let logger: Logger

    /// Loads and validates the registry, checks the agent exists and that every type it consumes has a handler;
    /// `additional` services (an agent's own loops) run beside the runner.
    public init(agent name: String, environment: SwitchboardEnvironment = SwitchboardEnvironment(), logger: Logger? = nil, alongside additional: [any Service] = [], register: (inout AgentHandlers) throws -> Void) throws {
        let logger = logger ?? Logger(label: "switchboard.\(name)")
        let registry = try AgentRegistry.load(path: environment.registryPath)
        guard let entry = registry.agent(named: name) else {
            throw RegistryError(file: registry.path, line: nil, field: "agents", message: "no agent named '\(name)'; add it to the registry")
        }
        var handlers = AgentHandlers()
        if FileManager.default.fileExists(atPath: environment.schemasPath) {
            handlers.schemas = try SchemaLibrary(directory: URL(fileURLWithPath: environment.schemasPath))
        }
        try register(&handlers)
        let missing = entry.consumes.filter { !handlers.types.contains($0) && !$0.contains("*") }
        if !missing.isEmpty {
            throw RegistryError(file: registry.path, line: nil, field: "\(name).consumes", message: "no handler for \(missing.joined(separator: ", "))")
        }
        let bus = try RedisBus(environment: environment, logger: logger)
        var configuration = RunnerConfiguration(entry: entry, keys: environment.keys, consumer: environment.consumer)
        configuration.shutdownGrace = environment.shutdownGrace
        configuration.retention = environment.streamRetention
        self.entry = entry
        self.bus = bus
        self.runner = AgentRunner(configuration: configuration, bus: bus.agent, handlers: handlers, logger: logger)
        self.additional = additional
        self.environment = environment
        self.logger = logger
    }

    /// Runs the runner and the agent's own services until SIGTERM or SIGINT, then drains.
    public func runService() async throws {
        // A ServiceGroup shuts its services down last to first: the listener comes first so that it stops last and
        // answers /readyz 503 while the runner drains.
        var services: [any Service] = []
        if let port = environment.metricsPort {
            services.append(ObservabilityServer.application(host: environment.metricsHost, port: port, readiness: runner.readiness, logger: logger))
        }
        services += [runner] + additional
        logger.info("starting", metadata: ["redis": "\(bus.redis.configuration.redactedURL)", "version": "\(SwitchboardVersion.current)"])
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        bus.close()
    }
}
