extension SessionCommandResult: ReadableResult {
    /// The reply as it is: it says what was done.
    public var text: String { reply }
}
