import Testing

@testable import AgentBase

/// `format: "uri"`, the one format the schema validator asserts (an outside fuzzer found `https://Ï` accepted).
struct URIFormatTests {
    @Test("absolute RFC 3986 URIs pass", arguments: [
        "https://todo.example.com/list", "http://a", "https://", "https://user:pw@host:8080/p/a%20b?q=1&r=/x?#frag",
        "https://[::1]:80/", "file:///tmp/x", "mailto:someone@example.com", "urn:isbn:0451450523",
    ])
    func valid(text: String) {
        #expect(URIFormat.isValid(text))
    }

    @Test("anything else fails", arguments: [
        "https://Ï", "https://a b", "https://host/%zz", "https://host/%4", "no-scheme", ":x", "1http://a",
        "https://[::1", "https://host:80x/", "https://host/#a#b", "https://host/{x}", "https://\u{0}",
    ])
    func invalid(text: String) {
        #expect(!URIFormat.isValid(text))
    }

    @Test("a schema with format uri asserts it; other formats stay annotations")
    func schemaAssertsURI() throws {
        let schema = try JSONSchema(json: ["type": "object", "properties": ["url": ["type": "string", "format": "uri"], "at": ["type": "string", "format": "date-time"]]])
        #expect(schema.validate(["url": "https://example.com/"]).isEmpty)
        #expect(schema.validate(["url": "https://Ï"]).count == 1)
        #expect(schema.validate(["at": "not a time"]).isEmpty)
    }
}
