import AgentBase
import AsyncHTTPClient
import Foundation
import NIOFoundationEssentialsCompat

enum AnswerJSON {
    /// Parses a provider's JSON, or says which part of the answer could not be read.
    static func parse(_ data: Data, _ what: String) throws(LanguageModelError) -> JSONValue {
        do {
            return try JSONValue(parsing: data)
        } catch {
            throw .invalidResponse("\(what) is not JSON: \(String(decoding: data.prefix(200), as: UTF8.self))")
        }
    }

    /// A whole (non-streamed) answer body.
    static func body(_ body: HTTPClientResponse.Body) async throws -> JSONValue {
        try parse(Data(buffer: try await body.collect(upTo: 32 << 20)), "the answer")
    }
}
