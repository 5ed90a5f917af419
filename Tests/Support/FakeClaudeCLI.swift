import Foundation

/// A stand-in for the Claude Code CLI in tests: a shell script that keeps sessions in `$HOME/.claude/sessions` (a new
/// run makes one; `--resume <id>` needs it there, else it fails as the CLI does), appends `cwd=… resume=…` to
/// `runs.txt` in its working directory, and answers stream-JSON whose result is `ran <session id>`.
public enum FakeClaudeCLI {
    public static let script = #"""
    #!/bin/sh
    cat > /dev/null
    resume=""
    prev=""
    for a in "$@"; do
      if [ "$prev" = "--resume" ]; then resume="$a"; fi
      prev="$a"
    done
    if [ -n "$resume" ]; then
      if [ ! -f "$HOME/.claude/sessions/$resume" ]; then
        echo '{"type":"result","subtype":"error_during_execution","is_error":true,"result":"No conversation found with session ID: '"$resume"'"}'
        exit 1
      fi
      id="$resume"
    else
      id="s$(cat /proc/sys/kernel/random/uuid)"
      mkdir -p "$HOME/.claude/sessions"
      touch "$HOME/.claude/sessions/$id"
    fi
    echo "cwd=$PWD resume=$resume" >> runs.txt
    echo '{"type":"system","subtype":"init","session_id":"'"$id"'","model":"m"}'
    echo '{"type":"result","subtype":"success","is_error":false,"result":"ran '"$id"'","session_id":"'"$id"'","usage":{"input_tokens":1,"output_tokens":1}}'

    """#

    /// Writes the script as an executable `claude` in `directory`; returns its path.
    public static func install(in directory: URL) throws -> URL {
        let program = directory.appendingPathComponent("claude")
        try script.write(to: program, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: program.path)
        return program
    }
}
