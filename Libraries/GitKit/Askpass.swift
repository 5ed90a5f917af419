import Foundation

/// The `GIT_ASKPASS` helper: a script in the workspace (mode 0700) that answers git's prompts from environment
/// variables of the git process, so the token is never in a URL, an argv, a file or a log line.
enum Askpass {
    /// The variable the token travels in (set only in git's own environment).
    static let tokenVariable = "SWITCHBOARD_GIT_TOKEN"
    /// The user name GitHub expects with a token.
    static let username = "x-access-token"

    static let script = """
    #!/bin/sh
    # Written by Switchboard: answers git's credential prompts from the environment; holds no secret itself.
    case "$1" in
      Username*) printf '%s\\n' '\(username)' ;;
      *) printf '%s\\n' "$\(tokenVariable)" ;;
    esac

    """

    /// Writes the script into `directory` (created 0700) and returns its path.
    static func install(in directory: URL) throws -> URL {
        let manager = FileManager.default
        try manager.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let file = directory.appendingPathComponent("git-askpass")
        try Data(script.utf8).write(to: file, options: .atomic)
        try manager.setAttributes([.posixPermissions: 0o700], ofItemAtPath: file.path)
        return file
    }
}
