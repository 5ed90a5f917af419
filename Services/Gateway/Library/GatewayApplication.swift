import AgentBase
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import UnixSignals
import Workflows

/// The gateway process: the HTTP application (REST API, health, metrics, OpenAPI) and the event hub,
/// run together in one ServiceGroup that drains on SIGTERM/SIGINT.
public struct GatewayApplication: ServiceApplication {
    public private(set) var configuration: GatewayConfiguration
    public let registry: AgentRegistry
    /// The orchestrator's workflows and schedules (`SB_WORKFLOWS`, `SB_SCHEDULES`), for `/v1/workflows` and `/v1/schedules`.
    public let workflows: WorkflowCatalogue
    public let schedules: ScheduleCatalogue
    public let bus: RedisBus
    public let events: EventHub
    public let chat: ChatService
    public let delivery: ResultDelivery
    /// Who holds which role (`SB_ACCESS`).
    public let access: AccessPolicy
    let telegram: (configuration: TelegramConfiguration, client: TelegramClient, front: TelegramFront)?
    let github: GitHubWebhook
    /// The endpoints of `webhooks.yaml` (`SB_WEBHOOKS`), served at `/webhooks/hooks/{name}`.
    public let hooks: HookCatalogue
    let hookFront: HookFront
    let slack: SlackFront
    /// Chat messages answered after the request that brought them (Slack events).
    let inbox: ChatInbox
    let slackConfiguration: SlackConfiguration
    private let schemas: SchemaLibrary?
    /// The model budgets (`LLM_BUDGET_*`), shown on `/costs`.
    let budget: UsageBudget
    /// The web chat's conversations, and the web as a chat channel.
    let webConversations: WebConversations
    let webChannel: WebChannel
    private let logger: Logger
    /// Set by `withFirstRunToken()` when no API token is configured: the token the login link carries.
    private var firstRunToken: String?

    /// Loads the registry and schemas and connects the bus, as every service does at start.
    public init(environment: SwitchboardEnvironment = SwitchboardEnvironment(), configuration: GatewayConfiguration? = nil, logger: Logger = Logger(label: "switchboard.gateway")) throws {
        self.configuration = try configuration ?? GatewayConfiguration(environment: environment)
        self.registry = try AgentRegistry.load(path: environment.registryPath)
        let workflowsPath = environment.workflowsPath
        self.workflows = FileManager.default.fileExists(atPath: workflowsPath)
            ? try WorkflowCatalogue.load(path: workflowsPath, registry: registry) : WorkflowCatalogue(workflows: [], path: workflowsPath)
        self.schedules = try ScheduleCatalogue.load(path: environment.schedulesPath, registry: registry, workflows: workflows)
        self.schemas = FileManager.default.fileExists(atPath: environment.schemasPath)
            ? try SchemaLibrary(directory: URL(fileURLWithPath: environment.schemasPath)) : nil
        let bus = try RedisBus(environment: environment, logger: logger)
        self.bus = bus
        self.events = EventHub(events: bus.events, stream: bus.keys.events, logger: logger)
        let router = ChatRouter(registry: registry, schemas: schemas, forgeWebURL: RepositoryPolicy.forgeURL(apiURL: environment.value("GITHUB_API_URL")))
        self.access = try AccessPolicy.load(path: environment.accessPath)
        let githubConfiguration = try GitHubConfiguration(environment: environment)
        let githubChannel = GitHubChannel(configuration: githubConfiguration)
        let slackConfiguration = try SlackConfiguration(environment: environment)
        self.slackConfiguration = slackConfiguration
        let slackChannel = SlackChannel(configuration: slackConfiguration)
        self.budget = try UsageBudget(environment: environment)
        let webConversations = WebConversations(redis: bus.redis, keys: bus.keys)
        self.webConversations = webConversations
        self.webChannel = WebChannel(conversations: webConversations)
        var channels: [any ChatChannel] = [githubChannel, slackChannel, webChannel]
        let telegramConfiguration = try TelegramConfiguration(environment: environment)
        let telegramClient = telegramConfiguration.map { TelegramClient(configuration: $0) }
        let telegramChannel = telegramClient.map { TelegramChannel(client: $0) }
        if let telegramChannel { channels.append(telegramChannel) }
        self.chat = ChatService(
            router: router, bus: bus, access: access, repositories: try RepositoryPolicy(environment: environment), channels: channels,
            approvalTTL: self.configuration.approvalTTL, rateLimit: self.configuration.rateLimit,
            channelRateLimits: self.configuration.channelRateLimits, sessionRateLimit: self.configuration.sessionRateLimit,
            sessionIdleTTL: self.configuration.sessionIdleTTL, attachmentMaxBytes: self.configuration.attachmentMaxBytes, logger: logger
        )
        let seen = SeenMarkers(storage: GatewayStorage(bus: bus))
        self.github = GitHubWebhook(configuration: githubConfiguration, chat: chat, channel: githubChannel, seen: seen, logger: logger)
        self.hooks = try HookCatalogue.load(path: environment.webhooksPath, registry: registry, workflows: workflows)
        self.hookFront = try HookFront(catalogue: hooks, environment: environment, chat: chat, seen: seen, logger: logger)
        let inbox = ChatInbox(chat: chat, logger: logger)
        self.inbox = inbox
        self.slack = SlackFront(configuration: slackConfiguration, chat: chat, channel: slackChannel, seen: seen, inbox: inbox, logger: logger)
        if let telegramConfiguration, let telegramClient, let telegramChannel {
            telegram = (telegramConfiguration, telegramClient, TelegramFront(configuration: telegramConfiguration, channel: telegramChannel, chat: chat, seen: seen, logger: logger))
        } else {
            telegram = nil
        }
        self.delivery = ResultDelivery(
            bus: bus, channels: channels, consumer: environment.consumer ?? InstanceIdentity.current.defaultConsumer, sessions: chat.sessions,
            issues: IssueTracker(storage: GatewayStorage(bus: bus), configuration: githubConfiguration, logger: logger), logger: logger
        )
        self.logger = logger
    }

    /// Every route of the gateway.
    public func makeRouter() -> Router<GatewayRequestContext> {
        let router = Router(context: GatewayRequestContext.self)
        router.add(middleware: JSONErrorMiddleware())
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: LogRequestsMiddleware(.debug))
        ObservabilityServer.addRoutes(to: router, readiness: events.readiness)
        let document = ByteBuffer(bytes: OpenAPIDocument.served(registry: registry, schemas: schemas, keys: bus.keys))
        router.get("/openapi.json") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: document))
        }
        // The streams' AsyncAPI document, built once from the registry and schemas this gateway loaded.
        let asyncAPI = ByteBuffer(string: AsyncAPIDocument(registry: registry, schemas: schemas ?? SchemaLibrary(schemas: [:]), keys: bus.keys).json.jsonString)
        router.get("/asyncapi.json") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: asyncAPI))
        }
        // Always served, like the other webhooks: without webhook mode (and so without its secret) every update is refused.
        router.post("/webhooks/telegram") { request, context in
            guard let telegram, telegram.configuration.mode == .webhook else {
                throw APIError(.unauthorized, "unauthorized", "the Telegram webhook is off (TELEGRAM_MODE is not webhook)")
            }
            return try await telegram.front.webhook(request, context: context)
        }
        router.post("/webhooks/github") { request, context in try await github.handle(request, context: context) }
        router.post("/webhooks/hooks/{name}") { request, context in try await hookFront.handle(request, context: context) }
        router.post("/webhooks/slack/events") { request, context in try await slack.events(request, context: context) }
        router.post("/webhooks/slack/commands") { request, context in try await slack.commands(request, context: context) }
        router.post("/webhooks/slack/interactions") { request, context in try await slack.interactions(request, context: context) }
        let sessions = WebSessions(redis: bus.redis, keys: bus.keys)
        let tokens = TokenTable(configuration.apiTokens)
        LoginRoutes(tokens: tokens, sessions: sessions).add(to: router)
        AssetRoutes().add(to: router)
        let api = router.group("v1").add(
            middleware: BearerAuthMiddleware(tokens: configuration.apiTokens, roles: configuration.apiTokenRoles, access: access, sessions: sessions)
        )
        let limiter = configuration.apiRateLimit.map { RateLimiter(redis: bus.redis, keys: bus.keys, limit: $0.limit, window: $0.window) }
        APIRoutes(keys: bus.keys, tasks: bus.tasks, liveness: bus.liveness, deadLetters: bus.deadLetters, registry: registry, schemas: schemas, events: events, streamTiming: configuration.streamTiming, limiter: limiter, chat: chat).add(to: api)
        let workflowRoutes = WorkflowRoutes(workflows: workflows, schedules: schedules, hooks: hooks, registry: registry, redis: bus.redis, keys: bus.keys, submitter: chat.submitter)
        workflowRoutes.add(to: api)
        ApprovalRoutes(chat: chat).add(to: api)
        let reports = DashboardReports(registry: registry, bus: bus, budget: budget)
        let taskList = TaskListRoutes(index: reports.index, tasks: bus.tasks, registry: registry, events: events, streamTiming: configuration.streamTiming, chat: chat)
        taskList.add(to: api)
        let deadLetterRoutes = DeadLetterRoutes(redis: bus.redis, keys: bus.keys, deadLetters: bus.deadLetters, registry: registry)
        deadLetterRoutes.add(to: api)
        ReportRoutes(reports: reports).add(to: api)
        ConversationRoutes(conversations: webConversations, chat: chat, channel: webChannel).add(to: api)
        DashboardRoutes(
            authenticator: WebAuthenticator(tokens: tokens, roles: configuration.apiTokenRoles, access: access, sessions: sessions), reports: reports,
            registry: registry, workflows: workflows, workflowRoutes: workflowRoutes, deadLetters: deadLetterRoutes, taskList: taskList, chat: chat,
            conversations: webConversations
        ).add(to: router)
        router.add(middleware: MethodNotAllowedMiddleware(router: router))
        return router
    }

    /// The Hummingbird application with the event hub as a companion service; on a first run it logs the login link
    /// once it listens (with the port it got).
    public func makeApplication() -> some ApplicationProtocol {
        let (host, token, logger) = (configuration.host, firstRunToken, logger)
        return Application(
            router: makeRouter(),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "switchboard-gateway"),
            services: companionServices,
            onServerRunning: { channel in
                guard let token, let port = channel.localAddress?.port else { return }
                logger.notice(
                    "GATEWAY_API_TOKENS is not set: open the login link (its admin token is kept in Redis for every replica and restart)",
                    metadata: ["login": .stringConvertible(LoginLink(host: host, port: port, token: token))]
                )
            },
            logger: logger
        )
    }

    /// This gateway as it starts: when no API token is configured, with the first-run admin token (`api:admin`),
    /// made on the first start and kept in Redis, so that every replica and restart agrees; unchanged otherwise.
    public func withFirstRunToken() async throws -> GatewayApplication {
        guard configuration.apiTokens.isEmpty else { return self }
        var application = self
        let token = try await FirstRunToken(redis: bus.redis, keys: bus.keys).ensure()
        application.configuration.apiTokens = [FirstRunToken.client: token]
        application.firstRunToken = token
        return application
    }

    /// What runs beside the HTTP server: the event hub, result delivery, the chat inbox, the Telegram poller in
    /// polling mode and Slack Socket Mode when `SLACK_APP_TOKEN` is set.
    var companionServices: [any Service] {
        var services: [any Service] = [events, delivery, inbox]
        if let telegram, telegram.configuration.mode == .polling {
            services.append(TelegramPoller(client: telegram.client, front: telegram.front, redis: bus.redis, keys: bus.keys, logger: logger))
        }
        if slackConfiguration.appToken != nil {
            services.append(SlackSocketMode(configuration: slackConfiguration, front: slack, logger: logger))
        }
        return services
    }

    /// Runs until SIGTERM or SIGINT.
    public func runService() async throws {
        logger.info("starting", metadata: ["port": "\(configuration.port)", "redis": "\(bus.redis.configuration.redactedURL)"])
        let application = try await withFirstRunToken().makeApplication()
        let group = ServiceGroup(configuration: .init(services: [application], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        bus.close()
    }
}
