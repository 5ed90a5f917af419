import Logging
import Metrics
import Prometheus

/// Process-wide logging and metrics set-up; executables call `bootstrap` once in `main`, libraries never.
public enum Observability {
    /// The Prometheus registry `/metrics` serves.
    public static let registry = PrometheusCollectorRegistry()

    /// Installs the log handler (`LOG_FORMAT`, `LOG_LEVEL`) and the Prometheus metrics factory.
    public static func bootstrap(_ environment: SwitchboardEnvironment, metrics: Bool = true) {
        let format = SwitchboardLogHandler.Format(rawValue: environment.logFormat.lowercased()) ?? .text
        let level = Logger.Level(rawValue: environment.logLevel.lowercased()) ?? .info
        LoggingSystem.bootstrap { label in
            SwitchboardLogHandler(label: label, format: format, level: level)
        }
        if metrics {
            MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        }
    }
}
