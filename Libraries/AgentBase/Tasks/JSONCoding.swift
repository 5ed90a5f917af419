import Foundation

/// JSON helpers shared by the broker and the runner.
enum JSONCoding {
    /// Shared (JSONEncoder and JSONDecoder are Sendable and reusable): one per message was measurable.
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
    static let decoder = JSONDecoder()

    static func string<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

/// ISO-8601 timestamps with milliseconds, UTC (`2026-11-30T14:01:31.123Z`). Written by hand from the calendar fields:
/// `Date.formatted(.iso8601…)` cost more than the rest of a log line together.
public enum ISO8601 {
    public static func now() -> String { string(Date()) }

    public static func string(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        var seconds = time_t(milliseconds.floorDivided(by: 1000))
        var fields = tm()
        gmtime_r(&seconds, &fields)
        var out: [UInt8] = []
        out.reserveCapacity(24)
        func digits(_ value: Int, _ count: Int) {
            var divisor = 1
            for _ in 1..<count { divisor *= 10 }
            var rest = value
            for _ in 0..<count {
                out.append(UInt8(ascii: "0") + UInt8(rest / divisor % 10))
                rest %= divisor
                divisor /= 10
            }
        }
        digits(Int(fields.tm_year) + 1900, 4); out.append(UInt8(ascii: "-"))
        digits(Int(fields.tm_mon) + 1, 2); out.append(UInt8(ascii: "-"))
        digits(Int(fields.tm_mday), 2); out.append(UInt8(ascii: "T"))
        digits(Int(fields.tm_hour), 2); out.append(UInt8(ascii: ":"))
        digits(Int(fields.tm_min), 2); out.append(UInt8(ascii: ":"))
        digits(Int(fields.tm_sec), 2); out.append(UInt8(ascii: "."))
        digits(Int(milliseconds - milliseconds.floorDivided(by: 1000) * 1000), 3); out.append(UInt8(ascii: "Z"))
        return String(decoding: out, as: UTF8.self)
    }
}

extension Int64 {
    /// Division rounding towards minus infinity (times before 1970 stay in their own second).
    fileprivate func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
