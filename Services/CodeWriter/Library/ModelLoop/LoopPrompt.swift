import AgentBase

/// What the model is told: its job and rules (system), the spec (first turn), and failing tests (a later turn).
enum LoopPrompt {
    static func system(testCommand: [String]?) -> String {
        let tests = testCommand.map { "The test command is `\($0.joined(separator: " "))`; run it with run_tests, and make it pass." }
            ?? "This request has no test command."
        return """
        You are code-writer, an agent that changes a git repository so that it does what a spec asks.
        Work only through the tools: list_files, read_file, search, write_file (whole files) and run_tests.
        Paths are relative to the repository root; you cannot leave it. Keep the change small and in the style of the code around it.
        \(tests)
        When the change is complete, answer without calling a tool: a short summary of what you changed and why, for the pull request.
        """
    }

    static func task(spec: String) -> ModelMessage {
        .user("Spec:\n\(spec)")
    }

    static func testsFailed(_ report: TestRunReport, command: [String]) -> ModelMessage {
        .user("""
        The change is not done: `\(command.joined(separator: " "))` fails. The end of its output:
        \(report.outputTail)
        Fix the code (or the tests, if they are wrong) and answer again when the tests pass.
        """)
    }
}
