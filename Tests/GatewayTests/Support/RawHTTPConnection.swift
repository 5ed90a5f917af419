import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One HTTP/1.1 connection over a plain loopback socket, for what a client library hides: reading a response as it
/// streams (Server-Sent Events), seeing the server end it, and hanging up in the middle.
final class RawHTTPConnection {
    private let socket: Int32
    /// Everything received so far.
    private(set) var received = ""
    /// Whether the server has closed the connection.
    private(set) var ended = false

    /// Connects to `127.0.0.1:port` and sends a GET of `path` with these header lines.
    init(port: Int, get path: String, headers: [String] = []) throws {
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            Glibc.close(socket)
            throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "cannot connect to port \(port): errno \(errno)"])
        }
        _ = fcntl(socket, F_SETFL, fcntl(socket, F_GETFL) | O_NONBLOCK)
        let request = (["GET \(path) HTTP/1.1", "Host: 127.0.0.1:\(port)"] + headers).joined(separator: "\r\n") + "\r\n\r\n"
        let bytes = Array(request.utf8)
        guard send(socket, bytes, bytes.count, 0) == bytes.count else {
            Glibc.close(socket)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "cannot send the request"])
        }
    }

    /// Reads until `marker` has been received or the server ends the connection, or `timeout` passes; true when the
    /// marker was seen.
    @discardableResult
    func read(until marker: String, timeout: Duration = .seconds(10)) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while !received.contains(marker), !ended, ContinuousClock.now < deadline {
            try await readAvailable()
        }
        return received.contains(marker)
    }

    /// Reads until the server closes the connection or `timeout` passes; true when it closed it.
    func readToEnd(timeout: Duration) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while !ended, ContinuousClock.now < deadline {
            try await readAvailable()
        }
        return ended
    }

    /// Hangs up, as a client that goes away does.
    func close() {
        Glibc.close(socket)
    }

    private func readAvailable() async throws {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(socket, &buffer, buffer.count, 0)
        if count > 0 {
            received += String(decoding: buffer[..<count], as: UTF8.self)
        } else if count == 0 || (errno != EAGAIN && errno != EWOULDBLOCK) {
            ended = true
        } else {
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
