import AgentBase
import Foundation
import Hummingbird
import Workflows

/// The dashboard's pages, server-rendered from the same stores and reports as the JSON API; a page asked for without
/// a session redirects to `/login`. Pages only read: every action is a call of the JSON API from the page's script
/// (session cookie, same origin, CSRF token).
struct DashboardRoutes: Sendable {
    let authenticator: WebAuthenticator
    let reports: DashboardReports
    let registry: AgentRegistry
    let workflows: WorkflowCatalogue
    let workflowRoutes: WorkflowRoutes
    let deadLetters: DeadLetterRoutes
    let taskList: TaskListRoutes
    let chat: ChatService
    let conversations: WebConversations

    /// A page handler: the request, its signed-in viewer, and the page.
    typealias Page = @Sendable (Request, GatewayRequestContext, Viewer) async throws -> WebPage

    func add(to router: Router<GatewayRequestContext>) {
        page(router, "/", use: overview)
        page(router, "/tasks", use: tasks)
        page(router, "/tasks/{id}", use: task)
        page(router, "/agents", use: agents)
        page(router, "/dlq", use: dlq)
        page(router, "/approvals", use: approvals)
        page(router, "/costs", use: costs)
        page(router, "/workflows", use: workflowsPage)
        page(router, "/runs/{id}", use: run)
        page(router, "/schedules", use: schedules)
        page(router, "/chat", use: chatPage)
    }

    private func page(_ router: Router<GatewayRequestContext>, _ path: RouterPath, use handler: @escaping Page) {
        let authenticator = authenticator
        router.get(path) { request, context -> Response in
            guard let viewer = try await authenticator.viewer(of: request) else {
                return Response(status: .seeOther, headers: [.location: "/login", .cacheControl: "no-store"])
            }
            return try await handler(request, context, viewer).response()
        }
    }

    @Sendable func overview(_ request: Request, context: GatewayRequestContext, viewer: Viewer) async throws -> WebPage {
        WebPage(title: "Overview", body: OverviewPage.body(try await reports.overview()), viewer: viewer, section: "/", data: ["live": "events"])
    }

    @Sendable func tasks(_ request: Request, context: GatewayRequestContext, viewer: Viewer) async throws -> WebPage {
        let query = TaskListRoutes.query(request)
        let (filter, page) = try await taskList.page(query)
        let types = Set(registry.agents.flatMap(\.consumes)).sorted()
        let body = TasksPage.body(filter: filter, page: page, isFirst: query["after"] == nil, agents: registry.agents.map(\.name), types: types)
        return WebPage(title: "Tasks", body: body, viewer: viewer, section: "/tasks", data: ["live": "events"])
    }

    @Sendable func task(_ request: Request, context: GatewayRequestContext, viewer: Viewer) async throws -> WebPage {
        let id = try context.parameters.require("id")
        guard let snapshot = try await chat.tasks.task(id) else { throw APIError.notFound("no task \(id) (unknown, or expired)") }
        let request = try await reports.index.request(of: snapshot)
        return WebPage(title: "Task \(id)", body: TaskPage.body(snapshot, request: request, viewer: viewer), viewer: viewer, section: "/tasks", data: ["task": id])
    }

    @Sendable func agents(_ request: Request, context: GatewayRequestContext, viewer: Viewer) async throws -> WebPage {
        let overviews = try await AgentOverview.list(registry, liveness: chat.liveness, keys: chat.keys)
        return WebPage(title: "Agents", body: AgentsPage.body(overviews, hooks: workflowRoutes.hooks.endpoints.map(HookEndpointView.init)), viewer: viewer, section: "/agents")
    }

    @Sendable func dlq(_ request: Request, context: GatewayRequestContext, viewer: Viewer) async throws -> WebPage {
        let query = TaskListRoutes.query(request)
        let agents = query["agent"].map { name in registry.agents.filter { $0.name == name } } ?? registry.agents
        var sections: [DeadLettersPage.Section] = []
        for agent in agents {
            let (letters, total) = try await deadLetters.page(agent: agent.name, after: query["after"], count: DeadLettersPage.pageSize)
            sections.append(.init(agent: agent.name, letters: letters, total: total))
        }
        return WebPage(title: "Dead letters", body: DeadLettersPage.body(sections, viewer: viewer, after: query["after"]), viewer: viewer, section: "/dlq")
    }

    @Sendable func approvals(_ request: Request, context: GatewayRequestContext, viewer: Viewer) async throws -> WebPage {
        WebPage(title: "Approvals", body: ApprovalsPage.body(try await chat.approvals.pending(), viewer: viewer), viewer: viewer, section: "/approvals")
    }

    @Sendable func costs(_ request: Request, context: GatewayRequestContext, viewer: Viewer) async throws -> WebPage {
        WebPage(title: "Costs", body: CostsPage.body(try await reports.usage()), viewer: viewer, section: "/costs")
    }

    @Sendable func workflowsPage(_ request: Request, context: GatewayRequestContext, viewer: Viewer) async throws -> WebPage {
        WebPage(title: "Workflows", body: WorkflowsPage.body(workflows.workflows.map(WorkflowView.init), mayRun: viewer.may(registry.permission(for: WorkflowRunRequest.type, payload: .object([:])))), viewer: viewer, section: "/workflows")
    }

    @Sendable func run(_ request: Request, context: GatewayRequestContext, viewer: Viewer) async throws -> WebPage {
        let id = try context.parameters.require("id")
        // A run just started may not be written yet: its page shows it as queued and refreshes.
        let run = try await reports.run(id) ?? RunView(id: id, workflow: "", status: "queued", state: .object([:]))
        return WebPage(title: "Run \(id)", body: RunPage.body(run), viewer: viewer, section: "/workflows", data: ["run": id])
    }

    @Sendable func schedules(_ request: Request, context: GatewayRequestContext, viewer: Viewer) async throws -> WebPage {
        WebPage(title: "Schedules", body: SchedulesPage.body(try await workflowRoutes.scheduleViews(), viewer: viewer), viewer: viewer, section: "/schedules")
    }

    /// Opens the conversation asked for, else the newest, else a new one: always ready to type.
    @Sendable func chatPage(_ request: Request, context: GatewayRequestContext, viewer: Viewer) async throws -> WebPage {
        var list = try await conversations.list(viewer.client)
        let asked = request.uri.queryParameters["c"].map(String.init)
        let open: WebConversations.Conversation
        if let asked, let found = list.first(where: { $0.id == asked }) {
            open = found
        } else if asked == nil, let newest = list.first {
            open = newest
        } else {
            open = try await conversations.create(viewer.client, title: nil)
            list.insert(open, at: 0)
        }
        let messages = try await conversations.messages(of: open.id)
        return WebPage(title: "Chat", body: ChatPage.body(list, open: open, messages: messages), viewer: viewer, section: "/chat", scripts: ["app.js", "chat.js"])
    }
}
