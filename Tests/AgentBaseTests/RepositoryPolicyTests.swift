import AgentBase
import Testing

/// The repository allow-list every agent applies to `repo_url` (and the gateway before publishing): the forge's
/// repositories within `GITHUB_ALLOWED_REPOS`, URLs under an `SB_REPO_ALLOW` prefix, nothing else.
struct RepositoryPolicyTests {
    static func policy(_ values: [String: String]) throws -> RepositoryPolicy {
        try RepositoryPolicy(environment: SwitchboardEnvironment(values))
    }

    static func refusal(_ policy: RepositoryPolicy, _ url: String) -> RepositoryPolicyError? {
        do {
            try policy.check(url)
            return nil
        } catch {
            return error
        }
    }

    @Test func theForgesRepositoriesAreAllowedInEveryShapeAndOnlyThose() throws {
        let open = try Self.policy([:])
        for url in ["https://github.com/example-org/app.git", "https://GitHub.com/example-org/app", "git@github.com:example-org/app.git",
                    "ssh://git@github.com/example-org/app.git", "example-org/app"] {
            #expect(Self.refusal(open, url) == nil, "\(url)")
        }
        #expect(try open.cloneURL("example-org/app") == "https://github.com/example-org/app.git")
        for url in ["https://attacker.example/x.git", "http://github.com/example-org/app.git", "https://github.com.evil.example/o/n.git",
                    "https://github.com@evil.example/o/n.git", "https://github.com:444/o/n.git", "file:///srv/repos/app.git", "/srv/repos/app.git",
                    "relative/dir/repo", "https://github.com/o/n/../../x.git", "git://github.com/o/n.git", "ext::sh -c evil"] {
            let error = Self.refusal(open, url)
            #expect(error?.code == "forbidden_repository", "\(url)")
        }
        let message = try #require(Self.refusal(open, "https://attacker.example/x.git")).message
        #expect(message.contains("SB_REPO_ALLOW") && message.contains("GITHUB_ALLOWED_REPOS") && message.contains("https://attacker.example/"))
    }

    @Test func gitHubAllowedReposNarrowsTheForge() throws {
        let policy = try Self.policy(["GITHUB_ALLOWED_REPOS": "Example-Org/App, other/lib"])
        #expect(Self.refusal(policy, "https://github.com/example-org/app.git") == nil)
        #expect(Self.refusal(policy, "example-org/app") == nil)
        let refused = try #require(Self.refusal(policy, "git@github.com:example-org/private.git"))
        #expect(refused.message.contains("example-org/private is not in GITHUB_ALLOWED_REPOS"))
        #expect(Self.refusal(policy, "example-org/private")?.code == "forbidden_repository")
    }

    @Test func anEnterpriseForgeIsItsOwnHost() throws {
        let policy = try Self.policy(["GITHUB_API_URL": "https://ghe.example.com/api/v3"])
        #expect(policy.forgeURL == "https://ghe.example.com")
        #expect(policy.forgeTokenHost == "ghe.example.com")
        #expect(Self.refusal(policy, "https://ghe.example.com/team/app.git") == nil)
        #expect(try policy.cloneURL("team/app") == "https://ghe.example.com/team/app.git")
        #expect(Self.refusal(policy, "https://github.com/team/app.git") != nil)
        #expect(try Self.policy([:]).forgeTokenHost == "github.com")
        #expect(try Self.policy(["GITHUB_API_URL": "http://127.0.0.1:9999"]).forgeTokenHost == nil)
    }

    @Test func prefixesAllowWhatTheyNameAtAPathBoundaryWhateverTheScheme() throws {
        let policy = try Self.policy(["SB_REPO_ALLOW": "file:///srv/repos/, https://Git.Example.com/team, http://127.0.0.1:8080/, /data/git/"])
        for url in ["file:///srv/repos/app.git", "/srv/repos/app.git", "https://git.example.com/team/app.git", "HTTPS://git.example.com/team/app.git",
                    "http://127.0.0.1:8080/x.git", "/data/git/a.git", "file:///data/git/a.git"] {
            #expect(Self.refusal(policy, url) == nil, "\(url)")
        }
        for url in ["/srv/repos-evil/app.git", "/srv/repos/../../etc/app.git", "file:///srv/repos/%2e%2e/x.git", "https://git.example.com/teamevil/app.git",
                    "https://git.example.com.evil.example/team/app.git", "https://git.example.com/team/../admin/app.git", "http://127.0.0.1:8081/x.git",
                    "https://git.example.com/team/app.git?x=1", "file://otherhost/srv/repos/app.git"] {
            #expect(Self.refusal(policy, url)?.code == "forbidden_repository", "\(url)")
        }
    }

    @Test func aPrefixThatIsNoURLIsAConfigurationError() {
        #expect(throws: ConfigurationError.self) { try Self.policy(["SB_REPO_ALLOW": "repos"]) }
        #expect(throws: ConfigurationError.self) { try Self.policy(["SB_REPO_ALLOW": "file:///srv/../etc/"]) }
    }
}
