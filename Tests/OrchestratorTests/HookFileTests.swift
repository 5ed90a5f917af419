import AgentBase
import Foundation
import SwitchboardTesting
import Testing
import Workflows

/// webhooks.yaml: the shipped endpoints load and do what their examples say on payloads in the senders' documented
/// shapes; conditions, JSON Pointers and templates behave; mistakes are `file:line: field: message`.
struct HookFileTests {
    let registry: AgentRegistry
    let workflows: WorkflowCatalogue

    init() throws {
        registry = try AgentRegistry.load(path: RepositoryPaths.registry.path)
        workflows = try WorkflowCatalogue.load(path: RepositoryPaths.root.appendingPathComponent("Registry/workflows.yaml").path, registry: registry)
    }

    func shipped() throws -> HookCatalogue {
        try HookCatalogue.load(path: RepositoryPaths.root.appendingPathComponent("Registry/webhooks.yaml").path, registry: registry, workflows: workflows)
    }

    func error(_ yaml: String) -> String? {
        do {
            _ = try HookCatalogue.parse(yaml, path: "h.yaml", registry: registry, workflows: workflows)
            return nil
        } catch {
            return error.description
        }
    }

    /// A Jira Cloud `jira:issue_created` delivery (the documented webhook body, trimmed).
    static let jiraCreated: JSONValue = [
        "timestamp": 1_795_000_000_000, "webhookEvent": "jira:issue_created", "issue_event_type_name": "issue_created",
        "user": ["accountId": "5b10a2844c20165700ede21g", "displayName": "Ann"],
        "issue": ["id": "10002", "key": "PROJ-12", "fields": [
            "summary": "Add a --verbose flag", "description": "The CLI should log more with --verbose.",
            "labels": ["backend", "switchboard"], "project": ["key": "PROJ"],
        ]],
    ]

    /// A Sentry integration `event_alert` delivery (the documented body, trimmed): frames oldest first.
    static let sentryAlert: JSONValue = [
        "action": "triggered", "actor": ["type": "application", "id": "sentry", "name": "Sentry"],
        "data": ["triggered_rule": "High error rate", "event": [
            "event_id": "9fac2ceed9344f2bbfdd1fdacb0ed9b1", "title": "ZeroDivisionError: division by zero",
            "web_url": "https://sentry.example.com/organizations/acme/issues/1117540176/events/9fac2ceed9344f2bbfdd1fdacb0ed9b1/",
            "exception": ["values": [["type": "ZeroDivisionError", "value": "division by zero", "stacktrace": ["frames": [
                ["filename": "manage.py", "function": "<module>", "lineno": 22, "in_app": true],
                ["filename": "app/views.py", "function": "report", "lineno": 40, "in_app": true],
                ["filename": "app/stats.py", "function": "mean", "lineno": 12, "in_app": true],
                ["filename": "app/stats.py", "function": "ratio", "lineno": 7, "in_app": true],
            ]]]]],
        ]],
        "installation": ["uuid": "7a485448-a9e2-4c85-8a3c-4f44175783c9"],
    ]

    @Test("the shipped file: Jira created/labelled → create_pr keyed by issue; Sentry → notice with the top frames + a triage task; CI failure → a notice")
    func shippedExamples() throws {
        let hooks = try shipped()
        #expect(hooks.endpoints.map(\.name) == ["jira", "sentry", "ci"])
        let jira = try #require(hooks.endpoint(named: "jira"))
        let plan = try #require(try jira.plan(body: Self.jiraCreated, headers: [:]))
        guard case .workflow(let name, let inputs)? = plan.action else { Issue.record("expected a workflow, got \(String(describing: plan.action))"); return }
        #expect(name == "create_pr")
        #expect(inputs["title"] == "PROJ-12: Add a --verbose flag")
        #expect(inputs["spec"]?.stringValue?.contains("log more with --verbose") == true)
        #expect(plan.idempotencyKey == "PROJ-12")
        guard case .object(var unlabeled) = Self.jiraCreated, case .object(var issue) = unlabeled["issue"]!, case .object(var fields) = issue["fields"]! else { return }
        fields["labels"] = ["backend"]
        issue["fields"] = .object(fields)
        unlabeled["issue"] = .object(issue)
        #expect(try jira.plan(body: .object(unlabeled), headers: [:]) == nil)

        let sentry = try #require(hooks.endpoint(named: "sentry"))
        #expect(try sentry.plan(body: Self.sentryAlert, headers: [:]) == nil, "the resource header is part of the rule")
        let alert = try #require(try sentry.plan(body: Self.sentryAlert, headers: ["sentry-hook-resource": "event_alert"]))
        let notice = try #require(alert.notice)
        #expect(notice.contains("app/views.py:40 in report\napp/stats.py:12 in mean\napp/stats.py:7 in ratio"))
        #expect(!notice.contains("manage.py"))
        guard case .message(let type, let payload)? = alert.action else { Issue.record("expected a message"); return }
        #expect(type == "chat.message")
        #expect(payload["text"]?.stringValue?.contains("High error rate") == true)
        #expect(alert.chat == "slack:T0000000000/C0000000000")

        let ci = try #require(hooks.endpoint(named: "ci"))
        let failed = try #require(try ci.plan(body: ["status": "failed", "pipeline": "build", "branch": "main", "commit": "abc123", "url": "https://ci.example.com/r/9", "run_id": 9], headers: [:]))
        #expect(failed.action == nil)
        #expect(failed.notice == "CI failed: build on main (abc123)\nhttps://ci.example.com/r/9")
        #expect(try ci.plan(body: ["status": "passed"], headers: [:]) == nil)
    }

    @Test("conditions: equals, in, exists, contains (lists, lists of objects, strings), headers; JSON Pointer escapes and indexes")
    func conditions() throws {
        let body: JSONValue = ["a/b": ["~x": 1], "list": [["name": "bug"], "plain"], "text": "disk full on db-1", "n": 3, "nothing": .null]
        func holds(_ pointer: String, _ test: HookCondition.Test) -> Bool {
            HookCondition(subject: .pointer(JSONPointer(pointer)!), test: test).holds(body: body, headers: ["x-kind": "3"])
        }
        #expect(holds("/a~1b/~0x", .equals(1)))
        #expect(holds("/n", .oneOf([1, 3])))
        #expect(!holds("/n", .oneOf(["3"])))
        #expect(holds("/nothing", .exists(true)))
        #expect(holds("/missing", .exists(false)))
        #expect(holds("/list", .contains("bug")))
        #expect(holds("/list", .contains("plain")))
        #expect(!holds("/list", .contains("feature")))
        #expect(holds("/text", .contains("disk full")))
        #expect(holds("/list/1", .equals("plain")))
        #expect(!holds("/list/01", .exists(true)), "an index is digits without a leading zero")
        #expect(HookCondition(subject: .header("X-Kind"), test: .equals(3)).holds(body: body, headers: ["x-kind": "3"]))
        #expect(JSONPointer("no-slash") == nil)
        #expect(JSONPointer("/bad~2escape") == nil)
    }

    @Test("the first matching rule acts; a rule whose template fails to render is an error, not a silent message")
    func firstMatchAndTemplates() throws {
        let hooks = try HookCatalogue.parse("""
        version: 1
        endpoints:
          generic:
            verify: {token: {header: X-Token, secret: GENERIC_TOKEN}}
            rules:
              - name: specific
                when: [{pointer: /kind, equals: deploy}]
                message: {type: chat.message, payload: {text: "deploy {{ body.id }}"}}
              - name: fallback
                message: {type: chat.message, payload: {text: "{{ body.items | length }} items"}}
        """, registry: registry, workflows: workflows)
        let endpoint = try #require(hooks.endpoint(named: "generic"))
        #expect(try endpoint.plan(body: ["kind": "deploy", "id": 7], headers: [:])?.rule == "specific")
        #expect(try endpoint.plan(body: ["items": [1, 2]], headers: [:])?.action == .message(type: "chat.message", payload: ["text": "2 items"]))
        #expect(throws: TemplateError.self) { try endpoint.plan(body: ["items": 5], headers: [:]) }
    }

    @Test("mistakes name the file, line and field")
    func mistakes() {
        let head = "version: 1\nendpoints:\n  x:\n"
        #expect(error(head + "    verify: {hmac_sha256: {header: X-Sig, secret: \"s3cr3t-value\"}}\n    rules: [{name: a, notify: hi, chat: \"telegram:1\"}]\n")?
            .contains("h.yaml:4: endpoints.x.verify.hmac_sha256.secret: must name an environment variable") == true)
        #expect(error(head + "    rules:\n      - name: a\n        message: {type: no.such.type}\n")?.contains("h.yaml:6: endpoints.x.rules[0].message.type: no agent in the registry consumes 'no.such.type'") == true)
        #expect(error(head + "    rules:\n      - name: a\n        workflow: {name: create_pr, inputs: {spec: x}}\n")?.contains("requires the input 'repo_url'") == true)
        #expect(error(head + "    rules:\n      - name: a\n        workflow: {name: create_pr, inputs: {repo_url: x, spec: x, colour: red}}\n")?.contains("has no input 'colour'") == true)
        #expect(error(head + "    rules:\n      - name: a\n        when: [{pointer: nope, equals: 1}]\n        notify: hi\n        chat: \"telegram:1\"\n")?.contains("h.yaml:6: endpoints.x.rules[0].when[0].pointer: must be a JSON Pointer") == true)
        #expect(error(head + "    rules:\n      - name: a\n        notify: hi\n")?.contains("needs a chat") == true)
        #expect(error(head + "    rules:\n      - name: a\n        notify: hi\n        chat: \"irc:x\"\n")?.contains("must be telegram:<chat id> or slack:<team>/<channel>") == true)
        #expect(error(head + "    rules:\n      - name: a\n        message: {type: chat.message, payload: {text: \"{{ steps.x }}\"}}\n")?.contains("must start with body, headers or hook") == true)
        #expect(error(head + "    rules:\n      - name: a\n")?.contains("needs one of message or workflow, and/or notify") == true)
        #expect(error("version: 1\nendpoints:\n  Bad Name:\n    rules: []\n")?.contains("endpoint names are lower case") == true)
    }
}
