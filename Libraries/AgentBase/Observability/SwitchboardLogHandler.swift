import Foundation
import Logging
import Synchronization

/// A swift-log handler writing one line per entry to stderr, as text or JSON, with secrets redacted (a `LoginLink`
/// metadata value alone is written whole).
public struct SwitchboardLogHandler: LogHandler {
    /// Line format.
    public enum Format: String, Sendable {
        case text
        case json
    }

    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let format: Format

    public init(label: String, format: Format, level: Logger.Level, metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
        self.format = format
        self.logLevel = level
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        let line = Self.render(format: format, label: label, level: event.level, message: "\(event.message)", metadata: merged, source: event.source)
        LogOutput.write(line)
    }

    /// One log line as the handler writes it, secrets redacted (public for tests that capture logs).
    public static func render(format: Format, label: String, level: Logger.Level, message: String, metadata: Logger.Metadata, source: String) -> String {
        let fields = metadata.map { key, value in
            if case .stringConvertible(let link as LoginLink) = value { return (key, link.description) }
            return (key, Redactor.isSensitive(key: key) ? "***" : Redactor.redact("\(value)"))
        }.sorted { $0.0 < $1.0 }
        let text = Redactor.redact(message)
        let time = ISO8601.now()
        switch format {
        case .json:
            var object: [String: String] = ["ts": time, "level": level.rawValue, "logger": label, "msg": text]
            for (key, value) in fields where object[key] == nil { object[key] = value }
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
            return String(decoding: data, as: UTF8.self)
        case .text:
            let rendered = fields.map { "\($0.0)=\($0.1)" }.joined(separator: " ")
            return "\(time) \(level.rawValue.uppercased()) \(label): \(text)\(rendered.isEmpty ? "" : " " + rendered)"
        }
    }
}

/// Serialises log lines so concurrent writers never interleave.
enum LogOutput {
    private static let lock = Mutex(())

    static func write(_ line: String) {
        lock.withLock { _ in
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
    }
}
