import Foundation

/// Figures about this process for benchmarks.
public enum ProcessStats {
    /// Peak resident set size (VmHWM from /proc/self/status), in MB with one decimal.
    public static func peakRSSMegabytes() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kb = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return (kb / 1024 * 10).rounded() / 10
    }

    /// CPU time this process has used so far (all threads, user + system), in seconds.
    public static func cpuSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// The value at fraction `p` (0…1) of sorted samples, rounded to two decimals; NaN when there are none.
    public static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        return (sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] * 100).rounded() / 100
    }
}
