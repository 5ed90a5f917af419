import AgentBase
@testable import Gateway
import Testing

/// How the assistant's `chat.message` results read in chat.
struct ChatReplyRenderingTests {
    @Test("the reply, then the suggested command unless the reply already shows it")
    func suggestedCommand() throws {
        let suggested = try JSONValue(parsing: #"{"reply":"The PR reviewer can do that.","suggested_command":"/review example-org/example-repo 42"}"#)
        #expect(ResultRenderer.completed(suggested, type: "chat.message") == "The PR reviewer can do that.\n\nTry: /review example-org/example-repo 42")
        let shown = try JSONValue(parsing: #"{"reply":"Usage: `/merge <repo-url> <source> <target>`","suggested_command":"/merge <repo-url> <source> <target>"}"#)
        #expect(ResultRenderer.completed(shown, type: "chat.message") == "Usage: `/merge <repo-url> <source> <target>`")
        #expect(ResultRenderer.completed(["reply": "Hi!"], type: "chat.message") == "Hi!")
    }
}
