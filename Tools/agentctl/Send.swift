import AgentBase
import ArgumentParser
import Foundation

/// `agentctl send <type> --json '{…}' [--wait]`
struct Send: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Publish a message to the agent that consumes its type; print the task id, and with --wait follow it to the end.")

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "Message type, e.g. todos.scrape.")
    var type: String

    @Option(name: .customLong("json"), help: "The payload, a JSON object.")
    var payload: String = "{}"

    @Flag(help: "Follow the task's events until it ends; exit 0 completed, 1 failed, 2 cancelled.")
    var wait = false

    @Option(help: "Give up waiting after this many seconds.")
    var timeout: Double = 600

    @Option(help: "Agent to send to (default: the registry's consumer of the type).")
    var agent: String?

    @Option(help: "Conversation key.")
    var conversation: String?

    @Option(name: .customLong("idempotency-key"), help: "Publish again with the same key and the work is done once.")
    var idempotencyKey: String?

    @Option(help: "Task id (default: a new UUID).")
    var task: String?

    @Option(help: "Who asks, e.g. api:ops.")
    var source: String = "api:agentctl"

    @Flag(name: .customLong("output-json"), help: "Print JSON: {task, entry, stream}, and with --wait the final event.")
    var outputJSON = false

    func run() async throws {
        let environment = connection.environment
        let registry = try connection.loadRegistry()
        guard let entry = agent.flatMap(registry.agent(named:)) ?? registry.agent(consuming: type) else {
            throw CommandFailure("no agent in \(registry.path) consumes '\(type)'" + (agent.map { " (and there is no agent '\($0)')" } ?? ""))
        }
        let value: JSONValue
        do { value = try JSONValue(parsing: payload) } catch { throw CommandFailure("--json is not valid JSON: \(error)") }
        guard case .object = value else { throw CommandFailure("--json must be a JSON object, e.g. '{\"url\": \"https://…\"}'") }
        let schemas = URL(fileURLWithPath: environment.schemasPath)
        if let schema = (try? SchemaLibrary(directory: schemas))?.schema(named: type) {
            let violations = schema.validate(value)
            if !violations.isEmpty { throw CommandFailure("payload does not match \(type): " + violations.map(\.description).joined(separator: "; ")) }
        }
        let bus = try connection.bus()
        defer { bus.close() }
        let taskID = task ?? UUID().uuidString.lowercased()
        let stream = environment.keys.stream(relative: entry.stream)
        let since = try await bus.events.lastEventID(stream: environment.keys.events)
        let envelope = Envelope(type: type, payload: value.jsonString, source: source, conversation: conversation, idempotencyKey: idempotencyKey)
        let submission = try await bus.queue.submit(envelope, task: taskID, agent: entry.name, stream: stream)
        guard case .queued(let entryID) = submission else {
            throw CommandFailure("task \(taskID) exists already (\(submission)); choose another --task")
        }
        if outputJSON && !wait {
            Output.json(["task": taskID, "entry": entryID, "stream": stream])
        } else if !outputJSON {
            Output.line(taskID)
        }
        guard wait else { return }
        let final = try await follow(taskID, events: bus.events, stream: environment.keys.events, after: since)
        Output.endStatus()
        if outputJSON { Output.json(Output.event(final)) } else { print(prettyPayload(final.payload)) }
        switch final.type {
        case "task.completed": return
        case "task.cancelled": throw ExitCode(2)
        default: throw ExitCode(1)
        }
    }

    private func follow(_ task: String, events: any EventStream, stream: String, after start: String) async throws -> TaskEvent {
        let deadline = ContinuousClock.now + .milliseconds(Int(timeout * 1000))
        let began = ContinuousClock.now
        var after = start
        var state = "queued"
        while ContinuousClock.now < deadline {
            let batch = try await events.events(stream: stream, after: after, count: 500, block: .seconds(1))
            if let last = batch.last { after = last.id }
            for event in batch where event.task == task {
                state = Self.describe(event)
                if event.isTerminal {
                    Output.status("\(task)  \(state)  \(Self.seconds(since: began))")
                    return event
                }
            }
            Output.status("\(task)  \(state)  \(Self.seconds(since: began))")
        }
        Output.endStatus()
        throw CommandFailure("gave up waiting after \(Int(timeout))s; the task goes on: agentctl task \(task)")
    }

    private static func describe(_ event: TaskEvent) -> String {
        switch event.type {
        case "task.progress":
            let progress = try? JSONDecoder().decode(TaskProgress.self, from: Data(event.payload.utf8))
            return "running: \(progress?.message ?? "")" + (progress?.percent.map { " (\(Int($0))%)" } ?? "")
        case "task.started": return "running"
        default: return event.type.replacingOccurrences(of: "task.", with: "")
        }
    }

    private static func seconds(since start: ContinuousClock.Instant) -> String {
        let elapsed = ContinuousClock.now - start
        return String(format: "%.1fs", Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    private func prettyPayload(_ text: String) -> String {
        guard let value = try? JSONValue(parsing: text), let data = try? value.jsonData(prettyPrinted: true) else { return text }
        return String(decoding: data, as: UTF8.self)
    }
}
