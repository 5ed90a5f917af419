import AgentBase
import Logging

/// The `gateway` service: the HTTP front (REST API, webhooks, chat channels) and the delivery of results.
public enum GatewayService: SwitchboardService {
    public static let name = "gateway"

    /// The application the `gateway` executable runs, configured from `GATEWAY_*` and the channels' variables; it
    /// uses no model.
    public static func application(environment: SwitchboardEnvironment, model: any LanguageModel, logger: Logger) throws -> GatewayApplication {
        try GatewayApplication(environment: environment, logger: logger)
    }
}
