import Foundation
import Testing

/// compose.yaml, .env.example and deploy/prometheus.yml: every service present, wired to Redis, drained gracefully, no secrets inline.
struct ComposeTests {
    let compose: YAMLValue
    let services: [String: YAMLValue]

    init() throws {
        compose = try YAMLValue.parse(DeploymentFiles.text("compose.yaml"))
        services = compose["services"].dictionary ?? [:]
    }

    @Test("one compose service per Switchboard service, plus Redis and Prometheus, and no others")
    func serviceSet() throws {
        let expected = try DeploymentFiles.services().union(DeploymentFiles.infrastructure)
        #expect(Set(services.keys) == expected)
    }

    @Test("every service runs the shared image with its own command, Redis settings and every setting by interpolation")
    func serviceWiring() throws {
        let images = Set(try DeploymentFiles.services().compactMap { services[$0]?["image"].string })
        #expect(images.count == 1, "all services run one image, found \(images)")
        for name in try DeploymentFiles.services().sorted() {
            let service = try #require(services[name], "compose.yaml has no service \(name)")
            #expect(service["command"].strings == [name], "\(name): command must be [\"\(name)\"]")
            #expect(service["env_file"].exists == false, "\(name): an env_file must exist, so a fresh clone without .env could not start")
            let environment = service["environment"]
            #expect(environment["REDIS_URL"].string?.hasPrefix("redis://redis:6379") == true, "\(name): REDIS_URL must point at the redis service")
            #expect(environment["SB_REGISTRY"].string == "/app/Registry/agents.yaml", "\(name): SB_REGISTRY must be the registry shipped in the image")
            #expect(environment["METRICS_PORT"].int != nil, "\(name): METRICS_PORT must be set")
            #expect(service["depends_on", "redis", "condition"].string == "service_healthy", "\(name): must wait for a healthy Redis")
            #expect(service["deploy", "replicas"].int != nil, "\(name): deploy.replicas is the scaling knob")
            #expect(service["container_name"].exists == false, "\(name): a container_name prevents --scale")
        }
    }

    @Test("every variable of .env.example reaches every service as ${NAME:-default}, or is set by compose.yaml itself")
    func settingsByInterpolation() throws {
        let example = try EnvironmentExampleTests.example()
        // Interpolated into compose.yaml itself (REDIS_PASSWORD into the password file), or set by it for the services
        // that use them (the gateway's port, the git agents' workspace).
        let composeOnly: Set = ["SWITCHBOARD_IMAGE", "GATEWAY_PUBLISH", "PROMETHEUS_PUBLISH", "REDIS_PASSWORD", "GATEWAY_PORT", "WORKSPACE_DIR"]
        for name in try DeploymentFiles.services().sorted() {
            let environment = try #require(services[name]?["environment"].dictionary, "\(name): no environment")
            for variable in Set(example.set.keys).union(example.commented).subtracting(composeOnly).sorted() {
                let value = try #require(environment[variable]?.string, "\(name): \(variable) does not reach the service")
                let interpolated = value.hasPrefix("${\(variable):-") && value.hasSuffix("}")
                #expect(interpolated || !value.contains("$"), "\(name): \(variable) is '\(value)'")
            }
        }
        let text = try DeploymentFiles.text("compose.yaml")
        for match in text.matches(of: /\$\{([A-Z_][A-Z0-9_]*)([^}]*)\}/) {
            #expect(match.output.2.hasPrefix(":-"), "${\(match.output.1)} needs a default (${\(match.output.1):-…}): a fresh clone has no .env")
        }
    }

    @Test("stop_grace_period covers SB_SHUTDOWN_GRACE plus a margin, and at least 30 s")
    func gracePeriods() throws {
        for name in try DeploymentFiles.services().sorted() {
            let service = try #require(services[name])
            let grace = DeploymentFiles.shutdownGraceSeconds(service["environment", "SB_SHUTDOWN_GRACE"].string)
            let stop = try #require(DeploymentFiles.seconds(service["stop_grace_period"].string), "\(name): stop_grace_period missing")
            #expect(stop >= max(30, grace + 5), "\(name): stop_grace_period \(stop)s must be at least SB_SHUTDOWN_GRACE (\(grace)s) + 5s and 30s")
        }
    }

    @Test("the gateway publishes its port and checks /healthz on it")
    func gateway() throws {
        let gateway = try #require(services["gateway"])
        #expect(gateway["ports"].strings.contains { $0.hasSuffix(":8080") })
        #expect(gateway["environment", "GATEWAY_PORT"].string == "8080")
        #expect(gateway["healthcheck", "test"].strings.contains("http://127.0.0.1:8080/healthz"))
    }

    @Test("git agents keep WORKSPACE_DIR on a volume")
    func workspaces() throws {
        let volumes = Set((compose["volumes"].dictionary ?? [:]).keys)
        for name in DeploymentFiles.gitAgents.sorted() {
            let service = try #require(services[name])
            let workspace = try #require(service["environment", "WORKSPACE_DIR"].string, "\(name): WORKSPACE_DIR missing")
            let mount = service["volumes"].strings.first { $0.hasSuffix(":\(workspace)") }
            let volume = try #require(mount, "\(name): no volume mounted at \(workspace)").split(separator: ":")[0]
            #expect(volumes.contains(String(volume)), "\(name): volume \(volume) is not declared")
        }
    }

    @Test("agents that run untrusted code may create bubblewrap's namespaces, unprivileged")
    func sandboxAgents() throws {
        for name in DeploymentFiles.sandboxAgents.sorted() {
            let service = try #require(services[name])
            #expect(Set(service["security_opt"].strings).isSuperset(of: ["seccomp=unconfined", "apparmor=unconfined", "systempaths=unconfined"]), "\(name)")
            #expect(service["privileged"].exists == false && service["cap_add"].exists == false, "\(name): no privileges")
        }
    }

    @Test("Redis persists with AOF every second, on a volume, behind a health check")
    func redis() throws {
        let redis = try #require(services["redis"])
        let command = redis["command"].strings.joined(separator: " ")
        #expect(command.contains("--appendonly yes"))
        #expect(command.contains("--appendfsync everysec"))
        #expect(redis["volumes"].strings.contains { $0.hasSuffix(":/data") })
        #expect(redis["healthcheck", "test"].strings.contains { $0.contains("redis-cli ping") })
    }

    @Test("Redis requires a password from the generated secret file, and refuses to start without one")
    func redisRequiresPassword() throws {
        let redis = try #require(services["redis"])
        let command = redis["command"].strings.joined(separator: " ")
        #expect(command.contains(#"--requirepass "$$p""#), "redis must be started with --requirepass")
        #expect(command.contains(#"[ -n "$$p" ] ||"#), "an empty password file must stop Redis, not run it open")
        #expect(redis["depends_on", "redis-secret", "condition"].string == "service_completed_successfully")
        #expect(redis["volumes"].strings.contains("redis-secret:/run/secrets/redis:ro"))
        #expect(redis["healthcheck", "test"].strings.contains { $0.contains("REDISCLI_AUTH") }, "the health check must authenticate (an unauthenticated ping answers NOAUTH)")
        #expect(!redis["ports"].exists, "Redis must not be published on the host")
        let secret = try #require(services["redis-secret"])
        let script = secret["command"].strings.joined(separator: "\n")
        #expect(script.contains("/dev/urandom"), "a password is generated when REDIS_PASSWORD is not set")
        #expect(script.contains("chmod 0400"))
        #expect(secret["environment", "REDIS_PASSWORD"].string == "${REDIS_PASSWORD:-}", "REDIS_PASSWORD comes from .env, never from this file")
        for name in try DeploymentFiles.services() {
            let service = try #require(services[name])
            #expect(service["environment", "REDIS_PASSWORD_FILE"].string == "/run/secrets/redis/password", "\(name): must read the Redis password")
            #expect(service["volumes"].strings.contains("redis-secret:/run/secrets/redis:ro"), "\(name): must mount the Redis password read-only")
        }
    }

    @Test("no secret value is written in compose.yaml")
    func noInlineSecrets() throws {
        for (name, service) in services {
            for (variable, value) in service["environment"].dictionary ?? [:] where DeploymentFiles.isSecretName(variable) {
                // Empty, or handed on from .env by interpolation of the same name (`${NAME:-}`): never a value.
                let text = value.string ?? ""
                #expect(text.isEmpty || text == "${\(variable):-}", "\(name): \(variable) has a value inline; put it in .env")
            }
            let redisURL = service["environment", "REDIS_URL"].string ?? ""
            #expect(!redisURL.contains("@"), "\(name): REDIS_URL carries a password inline")
        }
        let commands = services.values.flatMap { $0["command"].strings + $0["entrypoint"].strings }.joined(separator: "\n")
        let passwords = commands.matches(of: /requirepass\s+(\S+)/).map { String($0.output.1) }
        #expect(!passwords.isEmpty && passwords.allSatisfy { $0 == #""$$p""# }, "--requirepass must take the generated file's password, never a literal: \(passwords)")
    }

    @Test("the monitoring profile's Prometheus scrapes /metrics of every service")
    func prometheus() throws {
        let prometheus = try #require(services["prometheus"])
        #expect(prometheus["profiles"].strings == ["monitoring"])
        #expect(prometheus["volumes"].strings.contains { $0.hasPrefix("./deploy/prometheus.yml:") })
        let configuration = try YAMLValue.parse(DeploymentFiles.text("deploy/prometheus.yml"))
        var scraped: [String: Int] = [:]
        for job in configuration["scrape_configs"].array {
            for discovery in job["dns_sd_configs"].array {
                for name in discovery["names"].strings { scraped[name] = discovery["port"].int }
            }
            for target in job["static_configs"].array.flatMap({ $0["targets"].strings }) {
                let parts = target.split(separator: ":")
                scraped[String(parts[0])] = parts.count > 1 ? Int(parts[1]) : nil
            }
        }
        for name in try DeploymentFiles.services().sorted() {
            let service = try #require(services[name])
            let port = name == "gateway" ? 8080 : service["environment", "METRICS_PORT"].int
            #expect(scraped[name] == port, "prometheus.yml must scrape \(name) on port \(port.map { String($0) } ?? "?")")
        }
    }
}
