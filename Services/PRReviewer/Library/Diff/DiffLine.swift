/// One line of a hunk with its line numbers on both sides of the change.
public struct DiffLine: Sendable, Hashable {
    /// Whether the line is unchanged, added in the new file or removed from the old one.
    public enum Kind: Sendable, Hashable {
        case context
        case added
        case removed
    }

    public var kind: Kind
    /// The line's text without its `+`, `-` or space prefix and without a line ending.
    public var text: String
    /// 1-based line in the old file; nil for added lines.
    public var oldLine: Int?
    /// 1-based line in the new file, where findings and inline comments point; nil for removed lines.
    public var newLine: Int?
    /// The line was followed by `\ No newline at end of file`.
    public var missingNewline: Bool

    public init(kind: Kind, text: String, oldLine: Int?, newLine: Int?, missingNewline: Bool = false) {
        self.kind = kind
        self.text = text
        self.oldLine = oldLine
        self.newLine = newLine
        self.missingNewline = missingNewline
    }
}
