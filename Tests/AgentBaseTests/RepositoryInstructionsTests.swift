import AgentBase
import Testing

/// The `instructions` of a repository's `.switchboard.yml`, beside the sections other agents own.
struct RepositoryInstructionsTests {
    @Test("instructions at the top level are read; other sections are left alone; none is nil; a list is an error at its line")
    func instructions() throws {
        let reader = RepositoryInstructions()
        #expect(try reader.parse("instructions: |\n  Run make test first.\nreview:\n  disable: [todo-added]\n") == "Run make test first.\n")
        #expect(try reader.parse("review:\n  disable: []\n") == nil)
        #expect(try reader.parse("# nothing yet\n") == nil)
        #expect {
            _ = try reader.parse("review: {}\ninstructions: [a, b]\n")
        } throws: { error in
            "\(error)".contains(".switchboard.yml:2") && "\(error)".contains("instructions")
        }
    }
}
