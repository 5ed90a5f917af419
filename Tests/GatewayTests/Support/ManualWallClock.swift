import AgentBase
import Foundation
import Synchronization

/// A wall clock that moves only when a test moves it, for windows cut from wall time (rate limits).
final class ManualWallClock: Sendable {
    private let milliseconds: Atomic<Int>

    /// Starts 100 ms into a window of length `window` (windows are counted from the epoch), far from the real time.
    init(window: Duration) {
        milliseconds = Atomic(1_900_000_000_000 / window.milliseconds * window.milliseconds + 100)
    }

    @Sendable func now() -> Date {
        Date(timeIntervalSince1970: Double(milliseconds.load(ordering: .relaxed)) / 1000)
    }

    func advance(by duration: Duration) {
        milliseconds.add(duration.milliseconds, ordering: .relaxed)
    }
}
