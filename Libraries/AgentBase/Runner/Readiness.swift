import Synchronization

/// A flag services flip when they can take work; `/readyz` reports it.
public final class Readiness: Sendable {
    private let ready = Atomic<Bool>(false)

    public init() {}

    public var isReady: Bool { ready.load(ordering: .relaxed) }

    public func set(_ value: Bool) { ready.store(value, ordering: .relaxed) }
}
