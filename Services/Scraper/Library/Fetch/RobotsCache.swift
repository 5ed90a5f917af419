import Foundation
import Synchronization

/// robots.txt rules per origin, kept for an hour.
final class RobotsCache: Sendable {
    private let entries = Mutex<[String: (rules: RobotsRules, expires: ContinuousClock.Instant)]>([:])
    private let lifetime: Duration = .seconds(3600)

    func rules(for origin: String) -> RobotsRules? {
        entries.withLock { entries in
            guard let entry = entries[origin], entry.expires > .now else { return nil }
            return entry.rules
        }
    }

    func store(_ rules: RobotsRules, for origin: String) {
        entries.withLock { entries in
            if entries.count > 10_000 { entries.removeAll() }
            entries[origin] = (rules, .now + lifetime)
        }
    }
}
