import Foundation

/// What every service's `@main` does: read the environment, bootstrap logging and metrics, run, and turn a
/// configuration or registry mistake into one readable line on stderr and exit status 1.
public enum ServiceMain {
    public static func run(_ name: String, _ body: @Sendable (SwitchboardEnvironment) async throws -> Void) async throws {
        let environment = SwitchboardEnvironment()
        Observability.bootstrap(environment)
        do {
            try await body(environment)
        } catch let error as RegistryError {
            fail(name, "invalid registry: \(error)")
        } catch let error as ConfigurationError {
            fail(name, "\(error)")
        }
    }

    private static func fail(_ name: String, _ message: String) -> Never {
        FileHandle.standardError.write(Data("\(name): \(message)\n".utf8))
        exit(1)
    }
}
