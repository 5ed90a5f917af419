import AgentBase
import Foundation
@testable import Gateway
import Hummingbird
import HummingbirdTesting
import NIOFoundationEssentialsCompat
import SwitchboardTesting
import Testing

/// What an outside fuzzer driven by `/openapi.json` found in the API: every wrong request gets a 4xx with the JSON
/// error body.
@Suite(.serialized)
struct FuzzerFindingsTests {
    typealias Fixture = GatewayAPITests.Fixture

    @Test("a malformed dead-letter id answers 400 bad_id with the JSON body; a well-formed unknown one 404")
    func malformedReplayID() async throws {
        let fixture = try Fixture()
        try await fixture.gateway.makeApplication().test(.live) { client in
            for id in ["not-an-id", "1-2-3", "-1", "99999999999999999999999-0", "53219510580001549451-510027", "0-x"] {
                let response = try await client.execute(uri: "/v1/dlq/scraper/\(id)/replay", method: .post, headers: fixture.auth)
                #expect(response.status == .badRequest, "\(id)")
                #expect(try GatewayAPITests.json(response.body)["error"]?.stringValue == "bad_id", "\(id)")
            }
            let response = try await client.execute(uri: "/v1/dlq/scraper/1764512345678-0/replay", method: .post, headers: fixture.auth)
            #expect(response.status == .notFound)
            #expect(try GatewayAPITests.json(response.body)["error"]?.stringValue == "not_found")
        }
    }

    @Test("an undeclared method on a known path answers 405 with Allow and the JSON body, without a token too")
    func methodNotAllowed() async throws {
        let fixture = try Fixture()
        try await fixture.gateway.makeApplication().test(.live) { client in
            let cases: [(String, HTTPRequest.Method, String)] = [
                ("/v1/messages", .get, "POST"), ("/v1/messages", .delete, "POST"), ("/v1/tasks/abc", .put, "GET"),
                ("/v1/tasks/abc/cancel", .get, "POST"), ("/v1/agents", .post, "GET"), ("/healthz", .delete, "GET"),
                ("/v1/dlq/scraper/1-0/replay", .patch, "POST"),
            ]
            for (path, method, allow) in cases {
                let response = try await client.execute(uri: path, method: method)
                #expect(response.status == .methodNotAllowed, "\(method) \(path)")
                #expect(response.headers[.allow] == allow, "\(method) \(path)")
                #expect(try GatewayAPITests.json(response.body)["error"]?.stringValue == "method_not_allowed", "\(method) \(path)")
            }
            let unknown = try await client.execute(uri: "/v1/nothing-here", method: .put)
            #expect(unknown.status == .notFound)
            #expect(try GatewayAPITests.json(unknown.body)["error"]?.stringValue == "not_found")
            #expect(try await client.execute(uri: "/v1/agents", method: .get, headers: fixture.auth).status == .ok)
        }
    }

    @Test("the 405 middleware picks the route the router would: literal segments before captures")
    func allowPicksTheMostLiteralRoute() {
        let router = Router(context: GatewayRequestContext.self)
        router.get("/things/{id}") { _, _ in "thing" }
        router.post("/things/new") { _, _ in "new" }
        let middleware = MethodNotAllowedMiddleware(router: router)
        #expect(middleware.allowedMethods(path: "/things/new") == [.post])
        #expect(middleware.allowedMethods(path: "/things/42") == [.get])
        #expect(middleware.allowedMethods(path: "/things") == nil)
    }

    @Test("the served /openapi.json describes each consumed type's payload as a oneOf alternative: the registry's schema")
    func servedDocumentHasPayloadSchemas() async throws {
        let fixture = try Fixture()
        let schemas = try SchemaLibrary(directory: RepositoryPaths.schemas)
        try await fixture.gateway.makeApplication().test(.live) { client in
            let document = try GatewayAPITests.json(try await client.execute(uri: "/openapi.json", method: .get).body)
            let definitions = try #require(document["components"]?["schemas"])
            let alternatives = try #require(definitions["MessageRequest"]?["oneOf"]?.arrayValue)
            let types = Set(fixture.gateway.registry.agents.flatMap(\.consumes))
            #expect(alternatives.compactMap { $0["properties"]?["type"]?["const"]?.stringValue }.sorted() == types.sorted())
            for type in types {
                let embedded = try #require(definitions["payload.\(type)"], "\(type)")
                let schema = try #require(schemas.request(type)?.json, "\(type)")
                #expect(embedded["properties"]?.objectValue?.keys.sorted() == schema["properties"]?.objectValue?.keys.sorted(), "\(type)")
                #expect(embedded["required"] == schema["required"], "\(type)")
                #expect(embedded["$id"] == nil && !embedded.jsonString.contains("\"#/$defs"), "\(type): references point into the document")
            }
        }
    }

    @Test("bad query values and body fields the fuzzer sent get 400; the Telegram webhook without webhook mode 401")
    func strictInputs() async throws {
        let fixture = try Fixture()
        try await fixture.gateway.makeApplication().test(.live) { client in
            for count in ["x", "0", "10001", "1.5"] {
                let response = try await client.execute(uri: "/v1/dlq/scraper?count=\(count)", method: .get, headers: fixture.auth)
                #expect(response.status == .badRequest, "count=\(count)")
            }
            #expect(try await client.execute(uri: "/v1/dlq/scraper?count=5", method: .get, headers: fixture.auth).status == .ok)
            let created = try await client.execute(uri: "/v1/conversations", method: .post, headers: fixture.auth, body: ByteBuffer(string: #"{"title":null}"#))
            #expect(created.status == .created)
            let id = try #require(try GatewayAPITests.json(created.body)["id"]?.stringValue)
            for body in [#"{"text":5,"files":[{"name":"a","data":""}]}"#, #"{"files":[{"name":"a","data":"","media_type":{}}]}"#] {
                let response = try await client.execute(uri: "/v1/conversations/\(id)/messages", method: .post, headers: fixture.auth, body: ByteBuffer(string: body))
                #expect(response.status == .badRequest, "\(body)")
            }
            let scrape = #"{"type":"todos.scrape","payload":{"url":"https://\#u{00CF}"}}"#
            #expect(try await client.execute(uri: "/v1/messages", method: .post, headers: fixture.auth, body: ByteBuffer(string: scrape)).status == .unprocessableContent)
            let telegram = try await client.execute(uri: "/webhooks/telegram", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: #"{"update_id":1}"#))
            #expect(telegram.status == .unauthorized)
            #expect(try GatewayAPITests.json(telegram.body)["error"]?.stringValue == "unauthorized")
        }
    }
}
