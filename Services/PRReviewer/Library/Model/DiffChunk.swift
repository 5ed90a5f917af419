/// A part of the diff small enough for one model request: its text (each line numbered in the new file)
/// and, per path, the new-file lines in it that a finding may point at.
public struct DiffChunk: Sendable, Hashable {
    public var text: String
    /// Right-side (added and context) lines of the new file that this chunk shows, per path.
    public var lines: [String: Set<Int>]

    public init(text: String = "", lines: [String: Set<Int>] = [:]) {
        self.text = text
        self.lines = lines
    }

    /// The paths this chunk shows, sorted.
    public var paths: [String] { lines.keys.sorted() }
}
