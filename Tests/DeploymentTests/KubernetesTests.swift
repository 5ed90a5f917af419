import Foundation
import Testing

/// deploy/k8s: a Deployment per service with probes, resources, drain time and a non-root user;
/// a KEDA ScaledObject per agent on its own stream and group; secrets only referenced.
struct KubernetesTests {
    let manifests: KubernetesManifests

    init() throws {
        manifests = try KubernetesManifests()
    }

    private func deployments() -> [String: YAMLValue] {
        Dictionary(manifests.base("Deployment").map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
    }

    @Test("one Deployment per service and one ScaledObject per agent, and no others")
    func resourceSets() throws {
        let services = try DeploymentFiles.services()
        let agents = try DeploymentFiles.agents()
        #expect(Set(manifests.base("Deployment").map(\.name)) == services)
        #expect(manifests.base("Deployment").count == services.count, "a service has two Deployments")
        #expect(Set(manifests.base("ScaledObject").map(\.name)) == agents)
        #expect(manifests.base("ScaledObject").count == agents.count, "an agent has two ScaledObjects")
    }

    @Test("the kustomization lists every base file, and every file it or the overlay names exists")
    func kustomizations() throws {
        let baseFolder = "\(KubernetesManifests.directory)/base"
        let baseFiles = Set(manifests.objects.map(\.file).filter { $0.hasPrefix("\(baseFolder)/") && !$0.hasSuffix("kustomization.yaml") })
        let kustomizations = manifests.objects.filter { $0.kind == "Kustomization" }
        #expect(kustomizations.count >= 2, "a base and at least one overlay")
        for kustomization in kustomizations {
            let folder = kustomization.file.split(separator: "/").dropLast().joined(separator: "/")
            let named = kustomization.value["resources"].strings + kustomization.value["patches"].array.compactMap { $0["path"].string }
            for path in named {
                let url = DeploymentFiles.root.appendingPathComponent(folder).appendingPathComponent(path)
                #expect(FileManager.default.fileExists(atPath: url.path), "\(kustomization.file): \(path) does not exist")
            }
            if folder == baseFolder {
                let listed = Set(kustomization.value["resources"].strings.map { "\(baseFolder)/\($0)" })
                #expect(listed == baseFiles, "\(kustomization.file) must list exactly the base files")
            }
        }
    }

    @Test("each Deployment runs its command from the image, reads the ConfigMap and probes /readyz and /healthz on its port")
    func containers() throws {
        let metricsPort = try #require(manifests.configuration["METRICS_PORT"].int, "ConfigMap sets no METRICS_PORT")
        for (name, deployment) in deployments().sorted(by: { $0.key < $1.key }) {
            let pod = deployment["spec", "template", "spec"]
            let container = try #require(pod["containers"].array.first, "\(name): no container")
            #expect(pod["containers"].array.count == 1, "\(name): one container per pod")
            #expect(container["image"].string == "switchboard", "\(name): the image is set by kustomize `images:`")
            #expect(container["command"].strings == [name], "\(name): command must be [\"\(name)\"]")
            #expect(container["envFrom"].array.contains { $0["configMapRef", "name"].string == "switchboard-config" }, "\(name): envFrom the ConfigMap")
            let ports = Dictionary(container["ports"].array.compactMap { port in port["name"].string.map { ($0, port["containerPort"].int) } }, uniquingKeysWith: { first, _ in first })
            for (probe, path) in [("readinessProbe", "/readyz"), ("livenessProbe", "/healthz")] {
                let check = container[probe, "httpGet"]
                #expect(check["path"].string == path, "\(name): \(probe) must GET \(path)")
                let port = check["port"].int ?? check["port"].string.flatMap { ports[$0] ?? nil }
                #expect(port == (name == "gateway" ? 8080 : metricsPort), "\(name): \(probe) on the wrong port")
            }
            #expect(container["resources", "requests", "cpu"].exists && container["resources", "requests", "memory"].exists, "\(name): resource requests")
            #expect(container["resources", "limits", "memory"].exists, "\(name): a memory limit")
            #expect(deployment["spec", "strategy", "rollingUpdate", "maxUnavailable"].int == 0, "\(name): rolling updates must not drop capacity")
        }
    }

    @Test("pods drain for SB_SHUTDOWN_GRACE plus a margin, as a non-root user without privilege escalation")
    func drainAndSecurity() throws {
        let grace = DeploymentFiles.shutdownGraceSeconds(manifests.configuration["SB_SHUTDOWN_GRACE"].string)
        for (name, deployment) in deployments() {
            let pod = deployment["spec", "template", "spec"]
            let termination = try #require(pod["terminationGracePeriodSeconds"].int, "\(name): terminationGracePeriodSeconds missing")
            #expect(termination >= max(30, grace + 5), "\(name): terminationGracePeriodSeconds \(termination) must be at least SB_SHUTDOWN_GRACE (\(grace)s) + 5 and 30")
            #expect(pod["securityContext", "runAsNonRoot"].string == "true", "\(name): runAsNonRoot")
            #expect((pod["securityContext", "runAsUser"].int ?? 0) > 0, "\(name): runAsUser must not be root")
            for container in pod["containers"].array {
                #expect(container["securityContext", "allowPrivilegeEscalation"].string == "false", "\(name): allowPrivilegeEscalation false")
            }
        }
    }

    @Test("agents that run untrusted code may create bubblewrap's namespaces and mount its /proc, unprivileged")
    func sandboxAgents() throws {
        for name in DeploymentFiles.sandboxAgents.sorted() {
            let pod = try #require(deployments()[name]?["spec", "template", "spec"])
            #expect(pod["hostUsers"].string == "false", "\(name): a user-namespaced pod")
            let context = try #require(pod["containers"].array.first)["securityContext"]
            #expect(context["seccompProfile", "type"].string == "Unconfined" && context["appArmorProfile", "type"].string == "Unconfined", "\(name)")
            #expect(context["procMount"].string == "Unmasked", "\(name)")
            #expect(context["privileged"].exists == false && context["capabilities", "add"].exists == false, "\(name): no privileges")
        }
    }

    @Test("git agents mount a workspace at WORKSPACE_DIR")
    func workspaces() throws {
        let workspace = try #require(manifests.configuration["WORKSPACE_DIR"].string)
        for name in DeploymentFiles.gitAgents.sorted() {
            let container = try #require(deployments()[name]?["spec", "template", "spec", "containers"].array.first)
            #expect(container["volumeMounts"].array.contains { $0["mountPath"].string == workspace }, "\(name): nothing mounted at \(workspace)")
        }
    }

    @Test("secrets are referenced from the Secret switchboard-secrets, never written in a manifest")
    func secretsReferenced() throws {
        for object in manifests.objects {
            if object.kind == "Secret" {
                #expect(!object.value["data"].exists && !object.value["stringData"].exists, "\(object.file): a Secret with values")
            }
            if object.kind == "ConfigMap" {
                for key in (object.value["data"].dictionary ?? [:]).keys {
                    #expect(!DeploymentFiles.isSecretName(key), "\(object.file): \(key) belongs in the Secret, not the ConfigMap")
                }
            }
        }
        for (name, deployment) in deployments() {
            for container in deployment["spec", "template", "spec", "containers"].array {
                for variable in container["env"].array {
                    let key = variable["name"].string ?? ""
                    guard DeploymentFiles.isSecretName(key) else { continue }
                    #expect(!variable["value"].exists, "\(name): \(key) has a value inline")
                    #expect(variable["valueFrom", "secretKeyRef", "name"].string == "switchboard-secrets", "\(name): \(key) must come from switchboard-secrets")
                }
            }
        }
    }

    @Test("the gateway has a Service and a PodDisruptionBudget selecting its pods")
    func gatewayAvailability() throws {
        let labels = try #require(deployments()["gateway"]?["spec", "template", "metadata", "labels"].dictionary)
        let service = try #require(manifests.base("Service").first { $0.name == "gateway" })
        let budget = try #require(manifests.base("PodDisruptionBudget").first { $0.name == "gateway" })
        for selector in [service.value["spec", "selector"], budget.value["spec", "selector", "matchLabels"]] {
            let pairs = try #require(selector.dictionary)
            #expect(!pairs.isEmpty)
            for (key, value) in pairs {
                #expect(labels[key]?.string == value.string, "selector \(key)=\(value) does not match the gateway's pods")
            }
        }
        #expect(budget.value["spec", "minAvailable"].exists || budget.value["spec", "maxUnavailable"].exists)
    }

    @Test("each ScaledObject scales its agent on the agent's stream and consumer group")
    func scaledObjects() throws {
        let prefix = manifests.configuration["SB_PREFIX"].string ?? "sb"
        for object in manifests.base("ScaledObject") {
            let agent = object.name
            let stream = try DeploymentFiles.stream(of: agent, prefix: prefix)
            #expect(object.value["spec", "scaleTargetRef", "name"].string == agent, "\(agent): scaleTargetRef")
            #expect((object.value["spec", "minReplicaCount"].int ?? 0) >= 1, "\(agent): keep a replica for heartbeats and stream trimming")
            let triggers = object.value["spec", "triggers"].array
            #expect(!triggers.isEmpty)
            for trigger in triggers {
                let metadata = trigger["metadata"]
                #expect(trigger["type"].string == "redis-streams", "\(agent): redis-streams scaler")
                #expect(metadata["stream"].string == stream, "\(agent): stream")
                #expect(metadata["consumerGroup"].string == agent, "\(agent): consumer group = the agent's name")
                let addressVariable = metadata["addressFromEnv"].string
                #expect(addressVariable.map { manifests.configuration[$0].exists } ?? metadata["address"].exists, "\(agent): the Redis address (addressFromEnv must name a ConfigMap key)")
            }
            let pending = triggers.compactMap { $0["metadata", "pendingEntriesCount"].int }
            #expect(pending.count == 1 && pending.allSatisfy { $0 > 0 }, "\(agent): one trigger on the group's pending entries")
        }
    }

    @Test("the example Redis requires REDIS_PASSWORD from the Secret; every service and scaler authenticates with it")
    func redisPassword() throws {
        let redis = try #require(manifests.base("StatefulSet").first { $0.name == "redis" })
        let container = try #require(redis.value["spec", "template", "spec", "containers"].array.first)
        let arguments = container["args"].strings.joined(separator: " ")
        #expect(arguments.contains(#"--requirepass "$REDIS_PASSWORD""#))
        #expect(arguments.contains(#"[ -n "$REDIS_PASSWORD" ] ||"#), "an empty password must stop Redis, not run it open")
        #expect(container["readinessProbe", "exec", "command"].strings.contains { $0.contains("REDISCLI_AUTH") })
        let containers = deployments().map { ($0.key, $0.value["spec", "template", "spec", "containers"].array.first) } + [("redis", container)]
        for (name, container) in containers {
            let variable = container?["env"].array.first { $0["name"].string == "REDIS_PASSWORD" }
            #expect(variable?["valueFrom", "secretKeyRef", "name"].string == "switchboard-secrets", "\(name): REDIS_PASSWORD from the Secret")
            #expect(variable?["valueFrom", "secretKeyRef", "key"].string == "REDIS_PASSWORD", "\(name)")
            #expect(variable?["valueFrom", "secretKeyRef", "optional"].string != "true", "\(name): the password is required, not optional")
        }
        for scaler in manifests.base("ScaledObject") {
            for trigger in scaler.value["spec", "triggers"].array {
                #expect(trigger["metadata", "passwordFromEnv"].string == "REDIS_PASSWORD", "\(scaler.name): KEDA must authenticate to Redis")
            }
        }
    }

    @Test("the example Redis keeps an append-only file")
    func redis() throws {
        let redis = try #require(manifests.base("StatefulSet").first { $0.name == "redis" })
        let arguments = (redis.value["spec", "template", "spec", "containers"].array.first?["args"].strings ?? []).joined(separator: " ")
        #expect(arguments.contains("--appendonly yes"))
        #expect(manifests.configuration["REDIS_URL"].string?.hasPrefix("redis://redis:6379") == true)
    }
}
