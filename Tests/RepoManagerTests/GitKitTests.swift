import AgentBase
import Foundation
import GitKit
import SwitchboardTesting
import Testing

/// GitKit on its own: path and URL checks, hardened git, conflict markers, diffs.
struct GitKitTests {
    static func workspace(token: String? = nil, executable: String = "git", allow: [String] = []) throws -> GitWorkspace {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("sb-gitkit-\(UUID().uuidString.prefix(8))", isDirectory: true)
        let policy = try RepositoryPolicy(allowedPrefixes: [GitFixture.allowedPrefix] + allow)
        return GitWorkspace(git: try Git(configuration: GitConfiguration(workspace: root, policy: policy, timeout: .seconds(30), token: token, executable: executable)))
    }

    @Test func pathsFromRequestsCannotLeaveTheWorkTree() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("sb-paths-\(UUID().uuidString.prefix(8))", isDirectory: true)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("src"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("out").path, withDestinationPath: "/etc")
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("inside").path, withDestinationPath: "src")

        #expect(try WorktreePath.resolve("src/new/file.swift", in: root).path.hasSuffix("/src/new/file.swift"))
        #expect(try WorktreePath.resolve("inside/a.txt", in: root).path.hasSuffix("/inside/a.txt"))
        #expect(try WorktreePath.resolve("./src//a.txt", in: root).path.hasSuffix("/src/a.txt"))
        for bad in ["../escape", "src/../../escape", "/etc/passwd", "", ".", "out/passwd", "out", ".git/config", "./.git", "a/../.git", "a/../.git/config",
                    "x/.git/config", ".GIT/config", "src/.Git", ".git./config", ".git /config", ".g\u{200C}it/config", "./.git/hooks/pre-commit"] {
            #expect(throws: GitError.self, "\(bad)") { try WorktreePath.resolve(bad, in: root) }
        }
    }

    /// What a repository's content or a tampered mirror tries (a hook, core.fsmonitor, a helper in the global git config
    /// a test command could write) runs nothing: hooks and fsmonitor are off on every command, and git reads its
    /// global configuration from the workspace, not from HOME.
    @Test func hooksFsmonitorAndAHomeGitconfigRunNothing() async throws {
        let repo = try await GitFixture.make()
        defer { repo.remove() }
        let workspace = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: workspace.root) }
        let mirror = try await workspace.mirror(workspace.repository(repo.url))
        let marker = workspace.root.appendingPathComponent("pwned")
        let payload = workspace.root.appendingPathComponent("payload.sh")
        try Data("#!/bin/sh\ntouch '\(marker.path)'\n".utf8).write(to: payload)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: payload.path)
        let hooks = mirror.directory.appendingPathComponent("hooks")
        try FileManager.default.createDirectory(at: hooks, withIntermediateDirectories: true)
        for hook in ["pre-commit", "post-commit", "commit-msg", "post-checkout", "pre-push", "reference-transaction"] {
            try FileManager.default.copyItem(at: payload, to: hooks.appendingPathComponent(hook))
        }
        try await mirror.run(["config", "core.fsmonitor", payload.path])
        let home = workspace.root.appendingPathComponent("home/.gitconfig")
        try Data("[core]\n\tfsmonitor = \(payload.path)\n\thooksPath = \(hooks.path)\n[url \"file:///nowhere/\"]\n\tinsteadOf = \(repo.url)\n".utf8).write(to: home)

        let commit = try await workspace.withWorktree(mirror, task: "hooks", at: try await mirror.commit("main")) { worktree in
            try await worktree.write("new.txt", "x\n")
            try await worktree.stage(["new.txt"])
            _ = try await worktree.run(["status", "--porcelain"])
            return try await worktree.commit(message: "no hook runs")
        }
        try await mirror.push(["\(commit):refs/heads/hooked"])
        _ = try await workspace.mirror(workspace.repository(repo.url))
        #expect(!FileManager.default.fileExists(atPath: marker.path), "a hook or fsmonitor ran")
        #expect(try await repo.file("new.txt", at: "hooked") == "x\n")
    }

    @Test func repositoryURLsAreCheckedBeforeGitSeesThem() throws {
        #expect(try RepositoryURL("https://github.com/example-org/example-repo.git/").url == "https://github.com/example-org/example-repo.git")
        #expect(try RepositoryURL("/srv/git/repo.git").hash.count == 32)
        #expect(try RepositoryURL("file:///srv/git/repo.git").hash == (try RepositoryURL("file:///srv/git/repo.git/").hash))
        for bad in ["", "-oProxyCommand=x", "ext::sh -c id", "https://user:" + "secret@github.com/o/r.git", "ftp://host/r.git"] {
            #expect(throws: GitError.self, "\(bad)") { try RepositoryURL(bad) }
        }
    }

    @Test func conflictMarkersAreParsedAndRewritten() async throws {
        let text = "keep\n<<<<<<< HEAD\nours 1\nours 2\n||||||| base\nbase\n=======\ntheirs\n>>>>>>> feature\nmiddle\n<<<<<<< HEAD\na\n=======\nb\n>>>>>>> feature\n"
        let hunks = ConflictMarkers.hunks(in: text)
        #expect(hunks == [
            ConflictHunk(ours: "ours 1\nours 2\n", theirs: "theirs\n", base: "base\n", startLine: 2),
            ConflictHunk(ours: "a\n", theirs: "b\n", base: nil, startLine: 11),
        ])
        let resolved = await ConflictMarkers.resolve(text) { $0.theirs }
        #expect(resolved == "keep\ntheirs\nmiddle\nb\n")
        #expect(ConflictMarkers.containsMarkers(text))
        #expect(!ConflictMarkers.containsMarkers(resolved + "=======\n"))
    }

    @Test func numstatParsingKnowsBinaryFilesAndRenames() {
        let files = DiffFile.parse(numstat: "3\t1\tsrc/a.swift\0-\t-\tlogo.png\0" + "0\t0\t\0old.txt\0new.txt\0")
        #expect(files == [
            DiffFile(path: "src/a.swift", additions: 3, deletions: 1),
            DiffFile(path: "logo.png", additions: nil, deletions: nil),
            DiffFile(path: "new.txt", oldPath: "old.txt", additions: 0, deletions: 0),
        ])
        #expect(files[1].isBinary && !files[0].isBinary)
    }

    @Test func diffOfTwoRefsFromTheMirror() async throws {
        let repo = try await GitFixture.make()
        defer { repo.remove() }
        try await repo.commit(on: "feature", from: "main", ["config.txt": "alpha\nBETA\ngamma\n", "logo.png": "\u{0}\u{1}PNG\u{0}"], "feature")
        let workspace = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: workspace.root) }

        let diff = try await workspace.mirror(RepositoryURL("file://" + repo.url)).diff(base: "main", head: "feature")
        #expect(diff.files == [DiffFile(path: "config.txt", additions: 1, deletions: 1), DiffFile(path: "logo.png", additions: nil, deletions: nil)])
        #expect(diff.patch.contains("@@ -1,3 +1,3 @@\n alpha\n-beta\n+BETA\n gamma\n"))
        #expect(diff.patch.contains("Binary files"))
    }

    @Test func patchesApplyStrictlyAndCommitsUseTheConfiguredIdentity() async throws {
        let repo = try await GitFixture.make()
        defer { repo.remove() }
        let workspace = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: workspace.root) }
        let mirror = try await workspace.mirror(RepositoryURL(repo.url))
        let main = try await mirror.commit("main")
        let patch = "--- a/config.txt\n+++ b/config.txt\n@@ -1,3 +1,3 @@\n alpha\n-beta\n+patched\n gamma\n"

        let commit = try await workspace.withWorktree(mirror, task: "patch/1", at: main) { worktree in
            await #expect(throws: GitError.self) { try await worktree.apply(patch: patch.replacingOccurrences(of: "-beta", with: "-nothere")) }
            try await worktree.apply(patch: patch)
            return try await worktree.commit(message: "apply patch")
        }
        try await mirror.push(["\(commit):refs/heads/patched"])
        #expect(try await repo.file("config.txt", at: "patched") == "alpha\npatched\ngamma\n")
        #expect(try await repo.git("log", "-1", "--format=%an <%ae>", "refs/heads/patched", in: repo.remote) == "Switchboard <switchboard@localhost>\n")
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: workspace.root.appendingPathComponent("worktrees").path)) ?? []).isEmpty)
    }
}
