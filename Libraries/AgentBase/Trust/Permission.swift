/// What an action needs: `read` (look), `write` (start work), `admin` (destructive or unbounded actions).
public enum Permission: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case read
    case write
    case admin

    private var rank: Int {
        switch self {
        case .read: 0
        case .write: 1
        case .admin: 2
        }
    }

    public static func < (lhs: Permission, rhs: Permission) -> Bool { lhs.rank < rhs.rank }
}

/// Who someone is to Switchboard: `viewer` < `operator` < `admin`.
public enum Role: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case viewer
    case `operator`
    case admin

    /// The highest permission this role holds.
    public var permission: Permission {
        switch self {
        case .viewer: .read
        case .operator: .write
        case .admin: .admin
        }
    }

    /// Whether the role may take an action that needs `permission`.
    public func allows(_ permission: Permission) -> Bool { permission <= self.permission }

    /// `a viewer`, `an operator`, `an admin`, for messages.
    public var withArticle: String { self == .viewer ? "a viewer" : "an \(rawValue)" }

    /// The least role that holds `permission`.
    public static func least(holding permission: Permission) -> Role {
        allCases.first { $0.allows(permission) } ?? .admin
    }

    public static func < (lhs: Role, rhs: Role) -> Bool { lhs.permission < rhs.permission }
}

/// The permission a message type needs: a base permission, raised to `admin` when one of `adminWhen`'s payload
/// fields is true (`force` of a branch delete, `push` of a merge).
public struct MessagePermission: Sendable, Hashable, Codable {
    public var permission: Permission
    /// Payload fields that make the request an `admin` one when they are `true`.
    public var adminWhen: [String]

    public init(_ permission: Permission = .write, adminWhen: [String] = []) {
        self.permission = permission
        self.adminWhen = adminWhen
    }

    /// What `payload` needs, starting from `base` (a command's own permission, or this type's).
    public func required(for payload: JSONValue, base: Permission? = nil) -> Permission {
        let raised = adminWhen.contains { payload[$0]?.boolValue == true }
        return raised ? .admin : (base ?? permission)
    }
}
