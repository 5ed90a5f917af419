import Foundation
import Logging

/// What every service's `@main` does: read the environment, bootstrap logging and metrics, build and run the service,
/// and turn a configuration or registry mistake into one readable line on stderr and exit status 1.
public enum ServiceMain {
    /// Runs `service`; `model` builds its language model from the environment and the service's name (agents that use
    /// one pass `LanguageModelFactory.metered`; the default is `OfflineModel`).
    public static func run<S: SwitchboardService>(_ service: S.Type, model: (SwitchboardEnvironment, String) throws -> any LanguageModel = { _, _ in OfflineModel() }) async throws {
        let environment = SwitchboardEnvironment()
        Observability.bootstrap(environment)
        do {
            let application = try S.application(environment: environment, model: try model(environment, S.name), logger: Logger(label: "switchboard.\(S.name)"))
            try await application.runService()
        } catch let error as RegistryError {
            fail(S.name, "invalid registry: \(error)")
        } catch let error as ConfigurationError {
            fail(S.name, "\(error)")
        }
    }

    private static func fail(_ name: String, _ message: String) -> Never {
        FileHandle.standardError.write(Data("\(name): \(message)\n".utf8))
        exit(1)
    }
}
