/// Every message type of the wire protocol, for lookups by wire name and for keeping Swift types and schemas in step.
public enum MessageCatalogue {
    /// Every request type, in the order of the design's table (plus the `task.cancel` control message).
    public static let requests: [any AgentMessage.Type] = [
        PRReviewRequest.self,
        PRDescribeRequest.self,
        PRAskRequest.self,
        PRImproveRequest.self,
        CodeWriteRequest.self,
        TodosScrapeRequest.self,
        RepoBranchesRequest.self,
        RepoBranchCreateRequest.self,
        RepoBranchDeleteRequest.self,
        RepoMergeRequest.self,
        RepoRebaseRequest.self,
        RepoPruneRequest.self,
        ChatMessageRequest.self,
        WorkflowRunRequest.self,
        SessionTurnRequest.self,
        SessionCommandRequest.self,
        TaskCancel.self,
    ]

    /// Event payload types by event type (`task.completed` carries the request's result instead).
    public static let events: [String: any (Codable & Sendable).Type] = [
        TaskFailure.eventType: TaskFailure.self,
        TaskProgress.eventType: TaskProgress.self,
    ]

    private static let requestsByType: [String: any AgentMessage.Type] = Dictionary(
        requests.map { ($0.type, $0) }, uniquingKeysWith: { first, _ in first })

    /// The request type with the given wire name (e.g. `pr.review`), or nil when unknown.
    public static func request(named type: String) -> (any AgentMessage.Type)? {
        requestsByType[type]
    }

    /// The result type of the request with the given wire name, or nil when unknown.
    public static func result(named type: String) -> (any (Codable & Sendable).Type)? {
        request(named: type).map { resultType(of: $0) }
    }

    /// The schema name (file stem in `Registry/schemas`) of a request's result: `<type>.result`.
    public static func resultSchemaName(for type: String) -> String {
        type + ".result"
    }

    /// Every payload type by schema name: `<type>` for requests, `<type>.result` for results, and event types.
    public static let payloadTypes: [String: any (Codable & Sendable).Type] = {
        var types = events
        for request in requests {
            types[request.type] = request
            types[resultSchemaName(for: request.type)] = resultType(of: request)
        }
        return types
    }()

    private static func resultType<M: AgentMessage>(of _: M.Type) -> any (Codable & Sendable).Type {
        M.Result.self
    }
}
