import AgentBase
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationEssentialsCompat
import NIOHTTP1

/// Posts JSON to a provider with a time limit per try, retrying 429, 529 and 5xx answers (and lost connections)
/// with backoff or the wait `retry-after` asks for. A success's body is handed to `read` within the time limit.
struct ModelHTTPClient: Sendable {
    let http: HTTPClient
    let settings: HTTPModelSettings
    /// Header values never to show in an error (the API key).
    let secrets: [String]

    func post<T: Sendable>(_ url: String, headers: [(String, String)], body: JSONValue, onEvent: @escaping @Sendable (ModelEvent) async -> Void, read: @escaping @Sendable (HTTPClientResponse.Body) async throws -> T) async throws -> T {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "switchboard/\(SwitchboardVersion.current)")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(data: try body.jsonData()))
        var wait = settings.firstRetryWait
        for attempt in 0...settings.maxRetries {
            let failure: LanguageModelError
            var asked: Duration?
            do {
                return try await attemptWithin(settings.timeout) { [request, http] in
                    let response = try await http.execute(request, timeout: .seconds(Int64(settings.timeout.components.seconds) + 1))
                    let status = Int(response.status.code)
                    guard (200..<300).contains(status) else {
                        let data = Data(buffer: try await response.body.collect(upTo: 1 << 20))
                        throw RetryableAnswer(error: .http(status: status, message: Self.message(in: data)), retryAfter: Self.retryAfter(response.headers))
                    }
                    return try await read(response.body)
                }
            } catch let answer as RetryableAnswer {
                failure = answer.error
                asked = answer.retryAfter
            } catch let error as LanguageModelError {
                failure = error
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                failure = .unreachable(redact("\(error)"))
            }
            guard failure.isRetryable, attempt < settings.maxRetries else { throw failure }
            let delay = min(asked ?? wait, settings.maxRetryWait)
            wait *= 2
            await onEvent(.status("\(failure); retry \(attempt + 1) of \(settings.maxRetries) in \(Self.seconds(delay))"))
            try await Task.sleep(for: delay)
        }
        throw LanguageModelError.unreachable("no attempt was made")
    }

    /// Runs one try, failing with `timedOut` when it takes longer than `limit` (a slow stream included).
    private func attemptWithin<T: Sendable>(_ limit: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        guard let value = try await withDeadline(.now + limit, body) else {
            throw LanguageModelError.timedOut(seconds: Int(limit.components.seconds))
        }
        return value
    }

    private func redact(_ text: String) -> String {
        secrets.filter { !$0.isEmpty }.reduce(text) { $0.replacingOccurrences(of: $1, with: "***") }
    }

    /// The provider's error message: `error.message` (Anthropic and OpenAI both), else the start of the body.
    static func message(in data: Data) -> String {
        if let json = try? JSONValue(parsing: data) {
            if let message = json["error"]?["message"]?.stringValue { return message }
            if let message = json["error"]?.stringValue ?? json["message"]?.stringValue { return message }
        }
        return String(decoding: data.prefix(300), as: UTF8.self)
    }

    /// The wait `retry-after` asks for, in (possibly fractional) seconds.
    static func retryAfter(_ headers: HTTPHeaders) -> Duration? {
        guard let seconds = headers.first(name: "retry-after").flatMap({ Double($0.trimmingCharacters(in: .whitespaces)) }), seconds >= 0 else { return nil }
        return .milliseconds(Int64(seconds * 1000))
    }

    static func seconds(_ duration: Duration) -> String {
        let tenths = duration.components.seconds * 10 + duration.components.attoseconds / 100_000_000_000_000_000
        return tenths % 10 == 0 ? "\(tenths / 10) s" : "\(tenths / 10).\(tenths % 10) s"
    }
}

/// An error answer, with the wait the provider asked for.
private struct RetryableAnswer: Error {
    let error: LanguageModelError
    let retryAfter: Duration?
}
