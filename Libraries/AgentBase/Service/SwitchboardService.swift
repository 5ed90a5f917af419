import Logging

/// One Switchboard service as its executable and the tests build it: its name and its application.
public protocol SwitchboardService {
    /// What `application` builds and `ServiceMain` runs.
    associatedtype Application: ServiceApplication

    /// The service's name: its registry entry, its log label and its executable's name.
    static var name: String { get }

    /// Everything the service runs, built and validated from `environment`; `model` is the language model of a service
    /// that uses one (services without one ignore it).
    static func application(environment: SwitchboardEnvironment, model: any LanguageModel, logger: Logger) throws -> Application
}
