import AgentBase

/// Severity of a finding: `error`, `warning` or `info` (the `pr.review` result's type).
public typealias Severity = PRReviewResult.Severity

extension PRReviewResult.Severity {
    /// 2 for errors, 1 for warnings, 0 for info: higher is more serious.
    var rank: Int {
        switch self {
        case .error: 2
        case .warning: 1
        case .info: 0
        }
    }
}
