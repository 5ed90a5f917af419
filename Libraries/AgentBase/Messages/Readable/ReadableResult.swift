/// A result that says itself in words for people. The runner sends `text` as the `task.completed` event's `text`
/// field (and keeps it in the task hash), so chat, GitHub and the dashboard show any agent's result without knowing its
/// type: an agent in another language writes the same field. Plain text: one item per line, `- ` for list items,
/// URLs as they are; each channel escapes it for its own markup.
public protocol ReadableResult {
    /// The result for people.
    var text: String { get }
}
