/// Errors of broker operations that are not Redis errors.
public enum BrokerError: Error, Sendable, Hashable, CustomStringConvertible {
    case notFound(String)

    public var description: String {
        switch self {
        case .notFound(let what): return what
        }
    }
}
