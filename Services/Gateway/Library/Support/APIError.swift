import AgentBase
import Foundation
import Hummingbird
import Logging

/// An API failure with its HTTP status, rendered as `{"error": code, "message": text, "details"?: […]}`.
public struct APIError: HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    public var details: [String]
    /// Sent as `Retry-After` (seconds) with 429.
    public var retryAfter: Duration?

    public init(_ status: HTTPResponse.Status, _ code: String, _ message: String, details: [String] = [], retryAfter: Duration? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.retryAfter = retryAfter
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var body: [String: Any] = ["error": code, "message": message]
        if !details.isEmpty { body["details"] = details }
        var headers: HTTPFields = [.contentType: "application/json"]
        if status == .unauthorized { headers[.wwwAuthenticate] = #"Bearer realm="switchboard""# }
        if let retryAfter { headers[.retryAfter] = String(max(1, (retryAfter.milliseconds + 999) / 1000)) }
        let data = try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys, .withoutEscapingSlashes])
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func notFound(_ message: String) -> APIError { APIError(.notFound, "not_found", message) }
    static func badRequest(_ message: String) -> APIError { APIError(.badRequest, "bad_request", message) }
}

/// Turns every error, and unmatched routes, into the JSON error body, so no response is ever HTML or empty (500 `internal`
/// for an error that is not an HTTP one).
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            let response = try await next(request, context)
            if response.status == .notFound, response.headers[.contentType] == nil {
                throw APIError.notFound("no route \(request.method) \(request.uri.path); see /openapi.json")
            }
            return response
        } catch let error as APIError {
            throw error
        } catch let error as HTTPError {
            throw APIError(error.status, error.status == .notFound ? "not_found" : "http_error", error.body ?? error.status.reasonPhrase)
        } catch let error as DecodingError {
            throw APIError(.badRequest, "bad_request", "the body is not the JSON this endpoint takes: \(error.localizedDescription)")
        } catch let error as any HTTPResponseError {
            // Hummingbird's own errors (a body over a route's limit answers 413 with no body) get the JSON body too.
            let code = error.status == .contentTooLarge ? "too_large" : "http_error"
            let message = error.status == .contentTooLarge ? "the body is larger than this endpoint takes" : error.status.reasonPhrase
            throw APIError(error.status, code, message)
        } catch {
            // Anything else (Redis unreachable, a bug) is a 500 with the JSON body; the cause goes to the log only.
            context.logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            throw APIError(.internalServerError, "internal", "the gateway could not complete the request; see its log")
        }
    }
}
