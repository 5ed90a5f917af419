import AgentBase
import Foundation
import SwitchboardTesting
import Testing
import Workflows

/// workflows.yaml and schedules.yaml: the shipped files load; mistakes are `file:line: field: message`.
struct WorkflowFileTests {
    let registry: AgentRegistry

    init() throws {
        registry = try AgentRegistry.load(path: RepositoryPaths.registry.path)
    }

    func error(_ yaml: String) -> String? {
        do {
            _ = try WorkflowCatalogue.parse(yaml, path: "w.yaml", registry: registry)
            return nil
        } catch {
            return error.description
        }
    }

    @Test("the shipped workflows and schedules load and validate")
    func shipped() throws {
        let root = RepositoryPaths.root.appendingPathComponent("Registry")
        let workflows = try WorkflowCatalogue.load(path: root.appendingPathComponent("workflows.yaml").path, registry: registry)
        #expect(workflows.workflows.map(\.name) == ["pr_review", "sync_todos", "create_pr", "fix_pr"])
        _ = try ScheduleCatalogue.load(path: root.appendingPathComponent("schedules.yaml").path, registry: registry, workflows: workflows)
    }

    @Test("errors name the line and field")
    func lineNumbers() {
        let header = "version: 1\nworkflows:\n  demo:\n    inputs:\n      repo: {required: true}\n    steps:\n"
        #expect(error(header + "      - name: a\n        type: no.such\n") == "w.yaml:8: workflows.demo.steps[0].type: no agent in the registry consumes 'no.such'")
        #expect(error(header + "      - name: a\n        type: pr.review\n        payload: {repo: \"{{ inputs.nope }}\"}\n")
            == "w.yaml:9: workflows.demo.steps[0].payload.repo: unknown input 'nope' in 'inputs.nope' (inputs: repo)")
        #expect(error(header + "      - name: a\n        type: pr.review\n        payload: {repo: \"{{ inputs.repo | shout }}\"}\n")?.hasPrefix("w.yaml:9: workflows.demo.steps[0].payload.repo: unknown filter 'shout'") == true)
        #expect(error(header + "      - name: a\n        type: pr.review\n        colour: red\n")?.hasPrefix("w.yaml:9: workflows.demo.steps[0].colour: unknown field") == true)
        #expect(error(header + "      - loop:\n          name: l\n          until: \"{{ steps.a.result }}\"\n          steps:\n            - {name: a, type: pr.review}\n")
            == "w.yaml:8: workflows.demo.steps[0].loop.max_iterations: is required: every loop is bounded")
        #expect(error(header + "      - {name: a, type: pr.review, on_failure: tidy}\n")?.hasPrefix("w.yaml:7: workflows.demo.steps[0].on_failure: must be stop, continue or the name of a step under 'cleanup'") == true)
        #expect(error(header + "      - {name: a, type: pr.review}\n      - {name: a, type: pr.review}\n") == "w.yaml:8: workflows.demo: the name 'a' is used twice; step and loop names must be unique in a workflow")
    }

    @Test("schedule errors name the line and field; cron finds the next slot in the time zone")
    func schedules() throws {
        let workflows = try WorkflowCatalogue.parse("workflows:\n  w:\n    steps:\n      - {name: a, type: pr.review}\n", registry: registry)
        func error(_ yaml: String) -> String? {
            do {
                _ = try ScheduleCatalogue.parse(yaml, path: "s.yaml", registry: registry, workflows: workflows)
                return nil
            } catch {
                return error.description
            }
        }
        #expect(error("schedules:\n  - name: a\n    cron: \"61 * * * *\"\n    workflow: w\n") == "s.yaml:3: schedules[0].cron: minute '61' is not in 0–59")
        #expect(error("schedules:\n  - name: a\n    cron: \"* * * *\"\n    workflow: w\n")?.hasPrefix("s.yaml:3: schedules[0].cron: '* * * *' has 4 fields") == true)
        #expect(error("schedules:\n  - name: a\n    cron: \"0 6 * * *\"\n    time_zone: Mars/Base\n    workflow: w\n")?.hasPrefix("s.yaml:4: schedules[0].time_zone: unknown time zone") == true)
        #expect(error("schedules:\n  - name: a\n    cron: \"0 6 * * *\"\n    workflow: nope\n")?.hasPrefix("s.yaml:4: schedules[0].workflow: no workflow named 'nope'") == true)
        #expect(error("schedules:\n  - name: a\n    cron: \"0 6 * * *\"\n    workflow: w\n    missed: always\n") == "s.yaml:5: schedules[0].missed: must be skip or run_once")

        let cron = try CronExpression(parsing: "30 6 * * MON-FRI")
        let berlin = try #require(TimeZone(identifier: "Europe/Berlin"))
        // Saturday 2026-11-21 12:00 UTC → Monday 2026-11-23 06:30 Berlin = 05:30 UTC.
        let next = cron.next(after: Date(timeIntervalSince1970: 1_795_262_400), in: berlin)
        #expect(next == Date(timeIntervalSince1970: 1_795_411_800))
    }
}
