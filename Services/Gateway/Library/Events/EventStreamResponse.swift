import AgentBase
import Hummingbird
import ServiceLifecycle

/// A `text/event-stream` response of task events: an optional first frame, then the events as they come with a
/// keep-alive comment every `timing.keepAlive` (a write fails once the client has gone, which ends the request), until
/// the events end, `timing.maxAge` has passed or graceful shutdown ends the stream, so open streams never hold the
/// server's drain. The forwarding, the keep-alive ticks and the age limit run as children of the response's task group.
enum EventStreamResponse {
    /// One thing to write.
    enum Frame: Sendable {
        case event(TaskEvent)
        case keepAlive
    }

    /// `events` nil writes only `first`; with `endOnTerminal` the stream ends after a task's last event.
    static func make(first: ServerSentEvent?, events: AsyncStream<TaskEvent>?, timing: StreamTiming, endOnTerminal: Bool) -> Response {
        let body = ResponseBody { writer in
            if let first { try await writer.write(first.buffer) }
            if let events {
                let (frames, continuation) = AsyncStream.makeStream(of: Frame.self, bufferingPolicy: .bufferingNewest(1000))
                try await withGracefulShutdownHandler {
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        // Leaving the loop (the last event, a gone client) stops the children; the group then awaits them.
                        defer { group.cancelAll() }
                        group.addTask {
                            for await event in events { continuation.yield(.event(event)) }
                            continuation.finish()
                        }
                        group.addTask {
                            while (try? await Task.sleep(for: timing.keepAlive)) != nil { continuation.yield(.keepAlive) }
                        }
                        if let maxAge = timing.maxAge {
                            group.addTask {
                                if (try? await Task.sleep(for: maxAge)) != nil { continuation.finish() }
                            }
                        }
                        for await frame in frames {
                            switch frame {
                            case .event(let event):
                                try await writer.write(ServerSentEvent(event: event.type, id: event.id, data: event.json()).buffer)
                                if endOnTerminal, event.isTerminal { return }
                            case .keepAlive:
                                try await writer.write(ServerSentEvent.keepAlive)
                            }
                        }
                    }
                } onGracefulShutdown: {
                    continuation.finish()
                }
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"], body: body)
    }
}
