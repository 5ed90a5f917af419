/// The login link a server logs for the person who started it (`http://localhost:8080/login#token=…`, as Jupyter
/// does): the one secret a log line may carry whole. Only a metadata value of this type is left unredacted, so a
/// token anywhere else in a line, this line's message included, is still masked.
public struct LoginLink: CustomStringConvertible, Sendable {
    public let description: String

    /// The link to `/login` of a server listening on `host:port`; `localhost` for a server bound to every interface.
    public init(host: String, port: Int, token: String) {
        let name = switch host {
        case "0.0.0.0", "::", "": "localhost"
        case let address where address.contains(":"): "[\(address)]"
        default: host
        }
        description = "http://\(name):\(port)/login#token=\(token)"
    }
}
