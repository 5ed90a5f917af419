import Crypto
import Foundation
import NIOCore
import NIOPosix

/// A WebSocket server on loopback that answers the upgrade request and closes in the same write: the `101` response,
/// a close frame right behind it, then the end of the connection — the case in which a client sees the server's close
/// arrive together with the upgrade response.
final class UpgradeThenCloseServer: Sendable {
    private let channel: any Channel

    private init(channel: any Channel) {
        self.channel = channel
    }

    static func start() async throws -> UpgradeThenCloseServer {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture { try child.pipeline.syncOperations.addHandler(UpgradeThenClose()) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return UpgradeThenCloseServer(channel: channel)
    }

    var url: String { "ws://127.0.0.1:\(channel.localAddress?.port ?? 0)/socket" }

    func stop() async throws {
        try await channel.close()
    }
}

/// Reads the upgrade request; answers `101` plus a close frame (1000) in one write, then closes the connection.
private final class UpgradeThenClose: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    private var request = ""

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = Self.unwrapInboundIn(data)
        request += buffer.readString(length: buffer.readableBytes) ?? ""
        guard request.contains("\r\n\r\n") else { return }
        let key = request.split(separator: "\r\n").first { $0.lowercased().hasPrefix("sec-websocket-key:") }
            .map { $0.dropFirst("sec-websocket-key:".count).trimmingCharacters(in: .whitespaces) } ?? ""
        let accept = Data(Insecure.SHA1.hash(data: Data((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").utf8))).base64EncodedString()
        var reply = context.channel.allocator.buffer(
            string: "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: \(accept)\r\n\r\n"
        )
        reply.writeBytes([0x88, 0x02, 0x03, 0xE8])
        let channel = context.channel
        context.writeAndFlush(Self.wrapOutboundOut(reply)).whenComplete { _ in channel.close(promise: nil) }
    }
}
