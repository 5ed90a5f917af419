import AgentBase
import Logging
import Synchronization

/// A logger that keeps every line (all levels, with metadata) for a test to search.
public final class CapturedLogs: Sendable {
    private let lines = Mutex<[String]>([])
    private let format: SwitchboardLogHandler.Format?

    /// With a format, lines are kept as `SwitchboardLogHandler` writes them (secrets redacted); else as
    /// `level message metadata`, unredacted.
    public init(rendering format: SwitchboardLogHandler.Format? = nil) {
        self.format = format
    }

    public var all: [String] { lines.withLock { $0 } }

    public var logger: Logger {
        var logger = Logger(label: "captured") { label in Handler(label: label, logs: self) }
        logger.logLevel = .trace
        return logger
    }

    struct Handler: LogHandler {
        let label: String
        let logs: CapturedLogs
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let all = metadata.merging(event.metadata ?? [:]) { $1 }
            let line = logs.format.map {
                SwitchboardLogHandler.render(format: $0, label: label, level: event.level, message: "\(event.message)", metadata: all, source: event.source)
            } ?? "\(event.level) \(event.message) \(all)"
            logs.lines.withLock { $0.append(line) }
        }
    }
}
