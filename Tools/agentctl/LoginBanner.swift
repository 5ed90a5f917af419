/// The login link the gateway logs on a first run (no `GATEWAY_API_TOKENS`), picked out of its output so that
/// `agentctl up` can show it again last, in a box, once the suite has started.
enum LoginBanner {
    /// The `http://…/login#token=…` link in a log line (text or JSON), if it has one.
    static func link(in line: String) -> String? {
        line.firstMatch(of: /https?:\/\/[^\s"]+\/login#token=[A-Za-z0-9_-]+/).map { String($0.output) }
    }

    /// The box around the link.
    static func lines(for link: String) -> [String] {
        let rule = String(repeating: "=", count: max(link.count, 44) + 4)
        return [rule, "  Switchboard is up. Open this link to log in:", "", "  \(link)", "", rule]
    }
}
