import Yams

/// Reads `access.yaml` node by node so every error names its line and field.
struct AccessPolicyParser: YAMLFieldReader {
    let path: String

    func parse(_ text: String) throws(ConfigFileError) -> AccessPolicy {
        guard let root = try composeIfPresent(text) else { return AccessPolicy(path: path) }
        guard let top = root.mapping else { throw fail(root, nil, "expected a mapping with 'version', 'defaults' and 'identities'") }
        try checkKeys(top, allowed: ["version", "defaults", "identities"], field: "")
        guard top["version"]?.int == 1 else { throw fail(top["version"] ?? root, "version", "must be 1") }
        var defaults: [String: Role?] = [:]
        if let node = top["defaults"] {
            guard let map = node.mapping else { throw fail(node, "defaults", "expected a mapping of channel to role") }
            try checkKeys(map, allowed: Set(AccessPolicy.builtInDefaults.keys), field: "defaults")
            for (key, value) in map {
                defaults[key.string ?? ""] = try role(value, field: "defaults.\(key.string ?? "")")
            }
        }
        var grants: [AccessPolicy.Grant] = []
        if let node = top["identities"] {
            guard let map = node.mapping else { throw fail(node, "identities", "expected a mapping of identity to role, e.g. \"telegram:123456789\": admin") }
            for (key, value) in map {
                guard let identity = key.string, let channel = identity.split(separator: ":", maxSplits: 1).first,
                      AccessPolicy.builtInDefaults.keys.contains(String(channel)), identity.count > channel.count + 1 else {
                    throw fail(key, "identities", "'\(key.string ?? "")' is not an identity: write <channel>:<id> with channel one of \(AccessPolicy.builtInDefaults.keys.sorted().joined(separator: ", "))")
                }
                if identity.dropLast().contains("*") { throw fail(key, "identities.\(identity)", "'*' may only end a pattern") }
                grants.append(AccessPolicy.Grant(identity, try role(value, field: "identities.\(identity)")))
            }
        }
        return AccessPolicy(defaults: defaults, grants: grants, path: path)
    }

    private func role(_ node: Node, field: String) throws(ConfigFileError) -> Role? {
        guard let text = node.string else { throw fail(node, field, "must be a role") }
        if text == "none" { return nil }
        guard let role = Role(rawValue: text) else { throw fail(node, field, "'\(text)' is not a role (viewer, operator, admin, or none)") }
        return role
    }
}
