import Dispatch
import Foundation

/// Resolves host names with the system resolver (`getaddrinfo`), off the cooperative thread pool.
public enum HostResolver {
    private static let queue = DispatchQueue(label: "switchboard.scraper.resolver", attributes: .concurrent)

    /// Every address the host resolves to; a numeric host resolves to itself.
    public static func resolve(_ host: String) async throws(ScrapeError) -> [IPAddress] {
        if let literal = IPAddress(host) { return [literal] }
        let addresses = await withCheckedContinuation { (continuation: CheckedContinuation<[IPAddress], Never>) in
            queue.async { continuation.resume(returning: lookup(host)) }
        }
        guard !addresses.isEmpty else { throw .unresolvable(host: host) }
        return addresses
    }

    private static func lookup(_ host: String) -> [IPAddress] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0 else { return [] }
        defer { freeaddrinfo(list) }
        var addresses: [IPAddress] = []
        var cursor = list
        while let entry = cursor?.pointee {
            if let socket = entry.ai_addr {
                switch entry.ai_family {
                case AF_INET:
                    socket.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
                        var address = $0.pointee.sin_addr
                        addresses.append(.v4(withUnsafeBytes(of: &address) { Array($0) }))
                    }
                case AF_INET6:
                    socket.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
                        var address = $0.pointee.sin6_addr
                        addresses.append(.v6(withUnsafeBytes(of: &address) { Array($0) }))
                    }
                default: break
                }
            }
            cursor = entry.ai_next
        }
        var seen = Set<IPAddress>()
        return addresses.filter { seen.insert($0).inserted }
    }
}
