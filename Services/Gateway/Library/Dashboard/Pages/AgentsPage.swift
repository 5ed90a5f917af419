import Foundation
import AgentBase

/// `/agents`: the registry (commands with usage, keywords, limits) joined with live instances and their heartbeats,
/// then the webhook endpoints of `webhooks.yaml` (never a secret, only the variable that holds it).
enum AgentsPage {
    static func body(_ agents: [AgentOverview], hooks: [HookEndpointView] = []) -> HTML {
        let sections = agents.map { agent -> HTML in
            let commands = PageParts.table(["Command", "Usage", "What it does"], agent.commands.map { ["<code>/\($0.name)</code>", "<code>\($0.usage)</code>", "\($0.description)"] }, empty: "No chat commands.")
            let instances = PageParts.table(
                ["Instance", "Host", "Version", "Started", "In flight", "Processed", "Failed", "Last heartbeat"],
                agent.instances.map { beat in
                    ["\(beat.instance)", "\(beat.host) (pid \(beat.pid))", "\(beat.version)", PageParts.time(beat.started), "\(beat.inFlight)", "\(beat.processed)", "\(beat.failed)", "\(beat.seenAt > 0 ? "\((Int64(Date().timeIntervalSince1970 * 1000) - beat.seenAt) / 1000) s ago" : "")"]
                }, empty: "No live instance."
            )
            return """
            <section class="card" id="\(agent.name)" aria-labelledby="h-\(agent.name)"><h2 id="h-\(agent.name)">\(agent.name) <span class="muted">· \(agent.instances.count) live</span></h2>
            <p>\(agent.description)</p>
            <p class="muted">Stream <code>\(agent.stream)</code> · takes \(agent.consumes.joined(separator: ", ")) · concurrency \(agent.concurrency) · timeout \(Int(agent.timeoutSeconds)) s · \(agent.maxAttempts) attempts\(agent.model.map { " · model \($0)" } ?? "")</p>
            \(agent.keywords.isEmpty ? "" : HTML("<p class=\"muted\">Keywords: \(agent.keywords.joined(separator: ", "))</p>"))
            \(commands)<h3>Instances</h3>\(instances)</section>
            """
        }
        let endpoints = PageParts.table(
            ["Endpoint", "Verification", "Acts as", "Rules"],
            hooks.map { hook in
                let verification: HTML = hook.verification.map { "\($0) in <code>\(hook.header ?? "")</code>, secret from <code>\(hook.secretVariable ?? "")</code>" } ?? "none: every delivery is refused"
                let rules = HTML.join(hook.rules.map { "\($0.name): \($0.action)\($0.chat.map { " → \($0)" } ?? "")<br>" })
                return ["<code>POST \(hook.path)</code><br>\(hook.description)", verification, "\(hook.identity) (\(hook.role))", rules]
            }, empty: "No webhook endpoints (Registry/webhooks.yaml, SB_WEBHOOKS)."
        )
        let agentsPart: HTML = agents.isEmpty ? HTML("<p class=\"muted\">No agents in the registry.</p>") : HTML.join(sections)
        return "<h1>Agents</h1>\(agentsPart)<section class=\"card\" id=\"webhooks\" aria-labelledby=\"h-webhooks\"><h2 id=\"h-webhooks\">Webhook endpoints</h2>\(endpoints)</section>"
    }
}
