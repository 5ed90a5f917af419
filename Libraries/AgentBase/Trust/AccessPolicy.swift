import Foundation

/// `Registry/access.yaml` (path in `SB_ACCESS`): which identity holds which role. An identity listed by name (or by a
/// pattern ending in `*`) has that role; anyone else who passed their channel's own gate (Telegram allow-list, Slack
/// team, GitHub author association, …) has the channel's default role; everyone else has none.
public struct AccessPolicy: Sendable, Hashable {
    /// One `identities:` entry: an identity or a prefix pattern (`slack:T0123/*`), and its role (nil: refused).
    public struct Grant: Sendable, Hashable {
        public var pattern: String
        public var role: Role?

        public init(_ pattern: String, _ role: Role?) {
            self.pattern = pattern
            self.role = role
        }

        func matches(_ identity: String) -> Bool {
            pattern.hasSuffix("*") ? identity.hasPrefix(pattern.dropLast()) : identity == pattern
        }
    }

    /// The channels an identity can come from, and what their members are without an `identities:` entry.
    /// `hook` (a webhook endpoint of webhooks.yaml) carries its own role, as `api` and `web` tokens do.
    public static let builtInDefaults: [String: Role?] = ["telegram": .operator, "slack": .operator, "github": .operator, "api": nil, "web": nil, "hook": nil]

    /// Role per channel for identities that passed the channel's gate (nil: none).
    public var defaults: [String: Role?]
    /// Explicit grants; an exact identity wins over a pattern, a longer pattern over a shorter one.
    public var grants: [Grant]
    /// Where it was read from (`built-in` when no file exists).
    public var path: String

    public init(defaults: [String: Role?] = Self.builtInDefaults, grants: [Grant] = [], path: String = "built-in") {
        self.defaults = Self.builtInDefaults.merging(defaults) { $1 }
        self.grants = grants
        self.path = path
    }

    /// The role of `identity` (`telegram:<user>`, `slack:<team>/<user>`, `github:<login>`, `api:<name>`, `web:<name>`).
    /// `passedGate` says whether the channel itself vouched for the identity; `channelRole` is a role the channel
    /// assigns itself (an API token's), used when no grant names the identity.
    public func role(of identity: String, passedGate: Bool, channelRole: Role? = nil) -> Role? {
        if let grant = grant(for: identity) { return grant.role }
        if let channelRole { return channelRole }
        guard passedGate, let channel = identity.split(separator: ":", maxSplits: 1).first else { return nil }
        return defaults[String(channel)] ?? nil
    }

    /// The most specific grant for `identity`, if any.
    public func grant(for identity: String) -> Grant? {
        if let exact = grants.first(where: { !$0.pattern.hasSuffix("*") && $0.pattern == identity }) { return exact }
        return grants.filter { $0.pattern.hasSuffix("*") && $0.matches(identity) }.max { $0.pattern.count < $1.pattern.count }
    }

    /// Loads the file at `path`; a missing file gives the built-in defaults, a bad one an error naming the line.
    public static func load(path: String) throws(ConfigFileError) -> AccessPolicy {
        guard FileManager.default.fileExists(atPath: path) else { return AccessPolicy() }
        let parser = AccessPolicyParser(path: path)
        return try parser.parse(parser.readFile("the access file (set SB_ACCESS to its path)"))
    }

    /// Parses access YAML text.
    public static func parse(_ text: String, path: String = "access.yaml") throws(ConfigFileError) -> AccessPolicy {
        try AccessPolicyParser(path: path).parse(text)
    }
}

extension SwitchboardEnvironment {
    /// `SB_ACCESS`, default `access.yaml` beside the registry.
    public var accessPath: String {
        value("SB_ACCESS") ?? URL(fileURLWithPath: registryPath).deletingLastPathComponent().appendingPathComponent("access.yaml").path
    }
}
