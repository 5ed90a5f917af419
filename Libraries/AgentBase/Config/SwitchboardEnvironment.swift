import Foundation

/// The settings every service reads from the environment (DESIGN.md's table), with working defaults.
public struct SwitchboardEnvironment: Sendable {
    public var values: [String: String]

    public init(_ values: [String: String] = ProcessInfo.processInfo.environment) {
        self.values = values
    }

    /// A variable's value; unset and empty are the same.
    public func value(_ name: String) -> String? {
        values[name].nonEmpty
    }

    /// A whole number of at least `minimum` from `name`, or `default` when unset; anything else is a configuration error.
    public func integer(_ name: String, default value: Int, minimum: Int) throws(ConfigurationError) -> Int {
        guard let text = self.value(name) else { return value }
        guard let number = Int(text), number >= minimum else {
            throw ConfigurationError(variable: name, message: "must be a whole number of at least \(minimum), got '\(text)'")
        }
        return number
    }

    /// A comma-separated list (`a, b,c`), blanks dropped; empty when unset.
    public func list(_ name: String) -> [String] {
        (values[name] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// `REDIS_URL`, default `redis://127.0.0.1:6379/0`.
    public var redisURL: String { values["REDIS_URL"].nonEmpty ?? RedisConfiguration.defaultURL }
    /// `SB_PREFIX`, default `sb`.
    public var prefix: String { values["SB_PREFIX"].nonEmpty ?? "sb" }
    /// `SB_REGISTRY`, default `Registry/agents.yaml`.
    public var registryPath: String { values["SB_REGISTRY"].nonEmpty ?? "Registry/agents.yaml" }
    /// JSON Schemas beside the registry (`<registry dir>/schemas`), or `SB_SCHEMAS`.
    public var schemasPath: String {
        values["SB_SCHEMAS"].nonEmpty ?? URL(fileURLWithPath: registryPath).deletingLastPathComponent().appendingPathComponent("schemas").path
    }
    /// `LOG_LEVEL`: trace, debug, info (default), notice, warning, error, critical.
    public var logLevel: String { values["LOG_LEVEL"].nonEmpty ?? "info" }
    /// `LOG_FORMAT`: `text` (default) or `json`.
    public var logFormat: String { values["LOG_FORMAT"].nonEmpty ?? "text" }
    /// `METRICS_PORT`: the port of `/metrics`, `/healthz`, `/readyz`; unset = no listener.
    public var metricsPort: Int? { values["METRICS_PORT"].nonEmpty.flatMap(Int.init) }
    /// `METRICS_HOST`, default `0.0.0.0` (containers) .
    public var metricsHost: String { values["METRICS_HOST"].nonEmpty ?? "0.0.0.0" }
    /// `SB_TASK_TTL`: how long task hashes live, default 7 days (`604800`, or `7d`-style `168h`).
    public var taskTTL: Duration { values["SB_TASK_TTL"].nonEmpty.flatMap(DurationParser.parse) ?? .seconds(7 * 24 * 3600) }
    /// `SB_CONSUMER`: this replica's consumer name, default `<host>-<pid>`.
    public var consumer: String? { values["SB_CONSUMER"].nonEmpty }
    /// `SB_SHUTDOWN_GRACE`: time in-flight tasks get on SIGTERM, default 25s.
    public var shutdownGrace: Duration { values["SB_SHUTDOWN_GRACE"].nonEmpty.flatMap(DurationParser.parse) ?? .seconds(25) }
    /// `SB_EVENTS_MAXLEN`: approximate length `sb:events` (and `reply_to` streams) are trimmed to, default 1,000,000.
    public var eventsMaxLength: Int { values["SB_EVENTS_MAXLEN"].flatMap { Int($0) }.map { max(1000, $0) } ?? 1_000_000 }
    /// `SB_STREAM_RETENTION`: how long handled requests stay in `sb:in:<agent>` before they are trimmed, default 24h.
    public var streamRetention: Duration { values["SB_STREAM_RETENTION"].nonEmpty.flatMap(DurationParser.parse) ?? .seconds(86_400) }
    /// `WORKSPACE_DIR`, default `./.data/workspace`.
    public var workspaceDirectory: String { values["WORKSPACE_DIR"].nonEmpty ?? ".data/workspace" }

    public var keys: KeySpace { KeySpace(prefix: prefix) }

    /// The Redis settings from `REDIS_URL`; when the URL carries no password, `REDIS_PASSWORD` (or the file named by
    /// `REDIS_PASSWORD_FILE`) is the password sent with AUTH, so a deployment can keep it out of the URL.
    public func redisConfiguration() throws(RedisError) -> RedisConfiguration {
        var configuration = try RedisConfiguration(url: redisURL)
        if configuration.password == nil {
            do {
                configuration.password = try secret("REDIS_PASSWORD")
            } catch {
                throw .invalidSetting(error.description)
            }
        }
        return configuration
    }

    /// A secret from `NAME`, or from the file named by `NAME_FILE` (surrounding whitespace trimmed). An empty file
    /// means unset, like an empty `NAME`, so a deployment can mount an empty secret file for a feature it does not use.
    public func secret(_ name: String) throws(ConfigurationError) -> String? {
        if let value = values[name].nonEmpty { return value }
        guard let path = values["\(name)_FILE"].nonEmpty else { return nil }
        do {
            return Optional(try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)).nonEmpty
        } catch {
            throw ConfigurationError(variable: "\(name)_FILE", message: "cannot read \(path): \(error.localizedDescription)")
        }
    }
}

/// A setting that cannot be used, naming the variable.
public struct ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    public var variable: String
    public var message: String

    public init(variable: String, message: String) {
        self.variable = variable
        self.message = message
    }

    public var description: String { "\(variable): \(message)" }
}
