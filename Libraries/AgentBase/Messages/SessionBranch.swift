import Crypto
import Foundation

/// The branch of a coding session: `switchboard/session-<first 12 hex digits of sha256(conversation)>`, the same
/// for the gateway that shows it and the code-writer that pushes it.
public enum SessionBranch {
    public static func name(conversation: String) -> String {
        "switchboard/session-" + SHA256.hash(data: Data(conversation.utf8)).prefix(6).map { String(format: "%02x", $0) }.joined()
    }
}
