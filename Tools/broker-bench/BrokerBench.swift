import AgentBase
import ArgumentParser
import Foundation
import Synchronization

/// Measures the broker through the real runner (task state and events included) against `REDIS_URL`.
@main
struct BrokerBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "broker-bench",
        abstract: "Publish rate, consume+ack rate (1 and 3 consumers) and publish→handler latency at a fixed rate, against a real Redis (REDIS_URL). Build with -c release."
    )

    @Option(help: "Messages for the throughput phases.")
    var messages: Int = 100_000

    @Option(help: "Messages per second for the latency phase.")
    var rate: Int = 1_000

    @Option(help: "Seconds of the latency phase.")
    var seconds: Int = 10

    @Option(help: "Handler slots per consumer.")
    var concurrency: Int = 512

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    func run() async throws {
        Observability.bootstrap(SwitchboardEnvironment())
        let environment = SwitchboardEnvironment()
        let redis = try environment.redisConfiguration()
        let keys = KeySpace(prefix: "bench\(UInt32.random(in: 0...UInt32.max))")
        let bench = Bench(redis: redis, keys: keys, concurrency: concurrency)
        defer { bench.cleanUp() }

        let publish = try await bench.publishRate(messages)
        let consume1 = try await bench.consumeRate(messages, consumers: 1)
        let consume3 = try await bench.consumeRate(messages, consumers: 3)
        let latency = try await bench.latency(rate: rate, seconds: seconds)
        let rss = ProcessStats.peakRSSMegabytes()

        if json {
            let object: [String: Any] = [
                "publish_per_s": publish.rounded(), "consume_ack_per_s": consume1.perSecond.rounded(), "consume_ack_3_per_s": consume3.perSecond.rounded(),
                "consume_cpu_us_per_msg": ["runner": consume1.runnerMicros, "redis": consume1.redisMicros],
                "latency_ms": ["p50": latency.p50, "p99": latency.p99, "p999": latency.p999], "rss_peak_mb": rss,
            ]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            func row(_ name: String, _ value: String) { print(name.padding(toLength: 46, withPad: " ", startingAt: 0) + value) }
            print("broker-bench against \(redis.redactedURL), \(messages) messages, concurrency \(concurrency) per consumer")
            row("publish (XADD, pipelined)", String(format: "%10.0f msg/s", publish))
            row("consume+ack, 1 consumer (state + events)", String(format: "%10.0f msg/s", consume1.perSecond))
            row("  CPU per message: runner process / Redis", String(format: "%.1f / %.1f µs", consume1.runnerMicros, consume1.redisMicros))
            row("consume+ack, 3 consumers in one process", String(format: "%10.0f msg/s", consume3.perSecond))
            row("latency p50 / p99 / p99.9 at \(rate) msg/s", String(format: "%.2f / %.2f / %.2f ms", latency.p50, latency.p99, latency.p999))
            row("peak RSS", String(format: "%10.1f MB", rss))
        }
    }
}

/// The benchmark phases.
struct Bench: Sendable {
    let redis: RedisConfiguration
    let keys: KeySpace
    let concurrency: Int

    static let type = "bench.noop"

    func bus() -> RedisBus {
        RedisBus(configuration: redis, keys: keys, taskTTL: .seconds(600))
    }

    /// XADD in pipelined batches of 500, eight batches in flight.
    func publishRate(_ count: Int, stream name: String = "publish") async throws -> Double {
        let bus = bus()
        defer { bus.close() }
        let stream = keys.inbox(name)
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            let batch = 500
            var sent = 0
            var inFlight = 0
            while sent < count {
                let size = min(batch, count - sent)
                let first = sent
                group.addTask {
                    let envelopes = (first..<(first + size)).map { Envelope(type: Bench.type, payload: #"{"n":\#($0)}"#) }
                    _ = try await bus.queue.publish(envelopes, to: stream)
                }
                sent += size
                inFlight += 1
                if inFlight >= 8 {
                    try await group.next()
                    inFlight -= 1
                }
            }
            try await group.waitForAll()
        }
        return Double(count) / Self.seconds(ContinuousClock.now - start)
    }

    /// Publishes `count` messages, then times `consumers` runners until every one is handled and acked; with the CPU
    /// time per message this process and Redis spent meanwhile (figures that hold when other work shares the cores).
    func consumeRate(_ count: Int, consumers: Int) async throws -> (perSecond: Double, runnerMicros: Double, redisMicros: Double) {
        let agent = "consume\(consumers)"
        _ = try await publishRate(count, stream: agent)
        let runners = (0..<consumers).map { index in makeRunner(agent: agent, consumer: "c\(index)") { _, _ in NoopResult() } }
        let redisBefore = try await redisCPUSeconds()
        let cpuBefore = ProcessStats.cpuSeconds()
        let start = ContinuousClock.now
        let tasks = runners.map { runner in Task { try await runner.run() } }
        while runners.map(\.processedCount).reduce(0, +) < count {
            try await Task.sleep(for: .milliseconds(5))
        }
        let elapsed = ContinuousClock.now - start
        let cpu = ProcessStats.cpuSeconds() - cpuBefore
        let redis = try await redisCPUSeconds() - redisBefore
        for runner in runners { runner.stop() }
        for task in tasks { _ = await task.result }
        let micros = { (seconds: Double) in (seconds / Double(count) * 1e7).rounded() / 10 }
        return (Double(count) / Self.seconds(elapsed), micros(cpu), micros(redis))
    }

    /// CPU time the Redis server has used (`INFO cpu`: user + system), in seconds.
    private func redisCPUSeconds() async throws -> Double {
        let bus = bus()
        defer { bus.close() }
        let info = try await bus.redis.send(["INFO", "cpu"]).string ?? ""
        return info.split(whereSeparator: \.isNewline).reduce(0) { total, line in
            let parts = line.split(separator: ":")
            guard parts.count == 2, parts[0] == "used_cpu_sys" || parts[0] == "used_cpu_user" else { return total }
            return total + (Double(parts[1]) ?? 0)
        }
    }

    /// Publishes at a fixed rate; each handler records now − publish time.
    func latency(rate: Int, seconds: Int) async throws -> (p50: Double, p99: Double, p999: Double) {
        let samples = Mutex<[Double]>([])
        let runner = makeRunner(agent: "latency", consumer: "l0") { request, _ in
            let sent = request.sentAtNanos
            samples.withLock { $0.append(Double(Bench.wallNanos() - sent) / 1e6) }
            return NoopResult()
        }
        let consumer = Task { try await runner.run() }
        let bus = bus()
        defer { bus.close() }
        try await bus.groups.ensureGroup(stream: keys.inbox("latency"), group: "latency")
        try await Task.sleep(for: .milliseconds(300))
        let total = rate * seconds
        let interval = Duration.nanoseconds(1_000_000_000 / rate)
        let start = ContinuousClock.now
        for index in 0..<total {
            let due = start + interval * index
            if due > .now { try await Task.sleep(until: due, clock: .continuous) }
            let payload = #"{"sent_at_nanos":\#(Bench.wallNanos())}"#
            Task { _ = try? await bus.queue.publish(Envelope(type: Bench.type, payload: payload), to: keys.inbox("latency")) }
        }
        while samples.withLock({ $0.count }) < total && ContinuousClock.now - start < .seconds(seconds + 30) {
            try await Task.sleep(for: .milliseconds(20))
        }
        runner.stop()
        _ = await consumer.result
        let sorted = samples.withLock { $0 }.sorted()
        return (ProcessStats.percentile(sorted, 0.50), ProcessStats.percentile(sorted, 0.99), ProcessStats.percentile(sorted, 0.999))
    }

    private func makeRunner(agent: String, consumer: String, _ handler: @escaping @Sendable (NoopRequest, TaskContext) async throws -> NoopResult) -> AgentRunner {
        var handlers = AgentHandlers()
        handlers.on(NoopRequest.self, handler: handler)
        var configuration = RunnerConfiguration(agent: agent, stream: keys.inbox(agent), consumer: consumer, concurrency: concurrency, timeout: .seconds(30), visibilityTimeout: .seconds(120))
        configuration.batchSize = concurrency
        configuration.readBlock = .milliseconds(200)
        return AgentRunner(configuration: configuration, bus: bus().agent, handlers: handlers)
    }

    /// Removes every key under the benchmark's prefix.
    func cleanUp() {
        let bus = bus()
        let done = DispatchSemaphore(value: 0)
        Task {
            var cursor = "0"
            repeat {
                let reply = try? await bus.redis.send(["SCAN", cursor, "MATCH", "\(keys.prefix):*", "COUNT", "5000"])
                let parts = reply?.array ?? []
                cursor = parts.first?.string ?? "0"
                let found = (parts.count > 1 ? parts[1].array ?? [] : []).compactMap(\.string)
                if !found.isEmpty { _ = try? await bus.redis.send(RedisCommand(["UNLINK"] + found)) }
            } while cursor != "0"
            bus.close()
            done.signal()
        }
        done.wait()
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func wallNanos() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec)
    }

}

/// The benchmark's message: an optional wall-clock publish time.
struct NoopRequest: AgentMessage {
    typealias Result = NoopResult
    static let type = Bench.type
    var n: Int?
    var sentAtNanos: Int64

    enum CodingKeys: String, CodingKey {
        case n
        case sentAtNanos = "sent_at_nanos"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        n = try container.decodeIfPresent(Int.self, forKey: .n)
        sentAtNanos = try container.decodeIfPresent(Int64.self, forKey: .sentAtNanos) ?? 0
    }
}

/// The empty result of the benchmark's handler.
struct NoopResult: Codable, Sendable {}
