import Foundation
import Testing
@testable import Gateway

/// Where a task came from, as `sb:origin:<task>` keeps it.
struct OriginTests {
    @Test("the origin JSON written without JSONEncoder decodes back to the same origin", arguments: [
        Origin(channel: "telegram", chat: "42"), Origin(channel: "slack", chat: "T1/C1", thread: "1.2", message: "1.3"),
        Origin(channel: "github", chat: "example-org/example-repo#5", message: "77"), Origin(channel: "slack", chat: "T1/C\"1\\", thread: "é"),
    ])
    func roundTrip(_ origin: Origin) throws {
        #expect(try JSONDecoder().decode(Origin.self, from: Data(origin.json.utf8)) == origin)
    }
}
