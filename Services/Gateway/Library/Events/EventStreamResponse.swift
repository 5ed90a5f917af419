import AgentBase
import Hummingbird
import ServiceLifecycle

/// A `text/event-stream` response of task events: an optional first frame, then the events as they come with a
/// keep-alive comment every `timing.keepAlive` (a write fails once the client has gone, which ends the request); graceful
/// shutdown ends the stream, so open streams never hold the server's drain.
enum EventStreamResponse {
    /// `events` nil writes only `first`; with `endOnTerminal` the stream ends after a task's last event.
    static func make(first: ServerSentEvent?, events: AsyncStream<TaskEvent>?, timing: StreamTiming, endOnTerminal: Bool) -> Response {
        let body = ResponseBody { writer in
            if let first { try await writer.write(first.buffer) }
            if let events {
                let feed = TaskEventFeed(events: events, timing: timing)
                try await withGracefulShutdownHandler {
                    for await frame in feed.frames {
                        switch frame {
                        case .event(let event):
                            try await writer.write(ServerSentEvent(event: event.type, id: event.id, data: event.json()).buffer)
                            if endOnTerminal, event.isTerminal { return }
                        case .keepAlive:
                            try await writer.write(ServerSentEvent.keepAlive)
                        }
                    }
                } onGracefulShutdown: {
                    feed.close()
                }
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"], body: body)
    }
}
