import AgentBase
@testable import CodeWriter
import Forge
import Testing

/// Branch names, the forge repository of a clone URL, and how a refused patch is described.
@Suite("CodeWriter: names and messages")
struct NamingTests {
    @Test("branch names: switchboard/<task-id-short>-<slug of spec>")
    func branchNames() {
        #expect(BranchName.make(task: "1732262400000-0", spec: "Fix the typo in the README heading.") == "switchboard/1732262400000-0-fix-the-typo-in-the-readme-heading")
        #expect(BranchName.make(task: "3F2A9C1E-4B5D-4A7F-8091-A2B3C4D5E6F7", spec: "Add `greet(name:)`") == "switchboard/3f2a9c1e-add-greet-name")
        #expect(BranchName.make(task: "t1", spec: "Привет") == "switchboard/t1-change")
        #expect(BranchName.slug(String(repeating: "x", count: 60)) == String(repeating: "x", count: 40))
        #expect(BranchName.slug("one two three four five six seven eight nine ten eleven") == "one-two-three-four-five-six-seven-eight")
    }

    @Test("the forge repository comes from repo, or from a GitHub-style clone URL")
    func forgeRepository() throws {
        #expect(ForgeRepository.derived(from: "https://github.com/example-org/example-repo.git")?.description == "example-org/example-repo")
        #expect(ForgeRepository.derived(from: "https://github.com/example-org/example-repo/")?.description == "example-org/example-repo")
        #expect(ForgeRepository.derived(from: "git@github.com:example-org/example-repo.git")?.description == "example-org/example-repo")
        #expect(ForgeRepository.derived(from: "ssh://git@github.com/example-org/example-repo.git")?.description == "example-org/example-repo")
        #expect(ForgeRepository.derived(from: "/srv/git/example-repo.git") == nil)
        #expect(ForgeRepository.derived(from: "file:///srv/example-org/example-repo.git") == nil)
        #expect(ForgeRepository.derived(from: "https://git.example.com/group/sub/repo.git") == nil)
        #expect(try ForgeRepository.name(repo: "a/b", repoURL: "/srv/x.git").description == "a/b")
        #expect(throws: AgentError.self) { try ForgeRepository.name(repo: nil, repoURL: "/srv/x.git") }
    }

    @Test("a refused patch is described by file and hunk header")
    func patchFailure() {
        let patch = "--- a/src/a.txt\n+++ b/src/a.txt\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n@@ -10,2 +10,3 @@ func f()\n x\n+y\n z\n"
        let detail = "error: patch failed: src/a.txt:10\nerror: src/a.txt: patch does not apply"
        #expect(PatchFailure.describe(detail, patch: patch)
            == "the patch does not apply to src/a.txt at hunk @@ -10,2 +10,3 @@: error: patch failed: src/a.txt:10; error: src/a.txt: patch does not apply")
        #expect(PatchFailure.describe("error: gone.txt: No such file or directory", patch: patch) == "the patch does not apply: error: gone.txt: No such file or directory")
    }
}
