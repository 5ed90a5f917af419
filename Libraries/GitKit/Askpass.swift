import Foundation

/// The `GIT_ASKPASS` helper: a script in the workspace (mode 0700) that answers git's prompts from environment
/// variables of the git process, so the token is never in a URL, an argv, a file or a log line. It answers only a
/// prompt for the host in `SWITCHBOARD_GIT_HOST` over https (a redirect to another host gets nothing), and git gets
/// those variables only for a command that talks to the forge's https host (`Git.environment(for:)`).
enum Askpass {
    /// The variable the token travels in (set only in git's own environment).
    static let tokenVariable = "SWITCHBOARD_GIT_TOKEN"
    /// The variable naming the one host (`github.com`, `host:port`) the token may be given to.
    static let hostVariable = "SWITCHBOARD_GIT_HOST"
    /// The user name GitHub expects with a token.
    static let username = "x-access-token"

    static let script = """
    #!/bin/sh
    # Written by Switchboard: answers git's credential prompts for one https host from the environment; holds no secret.
    [ -n "$\(hostVariable)" ] && [ -n "$\(tokenVariable)" ] || exit 1
    case "$1" in
      "Username for 'https://$\(hostVariable)'"*) printf '%s\\n' '\(username)' ;;
      "Password for 'https://\(username)@$\(hostVariable)'"*) printf '%s\\n' "$\(tokenVariable)" ;;
      *) exit 1 ;;
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
