extension String.UTF8View {
    /// Whether the bytes contain `needle` as a contiguous run (a plain byte search, no Unicode tables).
    func contains(_ needle: String.UTF8View) -> Bool {
        let haystack = Array(self)
        let pattern = Array(needle)
        guard !pattern.isEmpty else { return true }
        guard haystack.count >= pattern.count else { return false }
        for start in 0...(haystack.count - pattern.count) where haystack[start] == pattern[0] {
            if haystack[start..<(start + pattern.count)].elementsEqual(pattern) { return true }
        }
        return false
    }
}
