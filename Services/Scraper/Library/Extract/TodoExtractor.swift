import AgentBase

/// Reads a fetched page as HTML, Markdown/plain text or JSON (by media type, else by sniffing) and returns its items.
public enum TodoExtractor {
    /// The kinds of content the scraper reads.
    public enum Kind: String, Sendable {
        case html, markdown, json
    }

    /// The kind of a page from its media type, else from its first characters.
    public static func kind(mediaType: String, text: String) -> Kind? {
        switch mediaType {
        case "text/html", "application/xhtml+xml": return .html
        case "text/markdown", "text/x-markdown", "text/plain": return .markdown
        case "application/json", "text/json": return .json
        case let type where type.hasSuffix("+json"): return .json
        case "", "application/octet-stream", "binary/octet-stream":
            let start = text.drop { $0.isWhitespace }.prefix(512).lowercased()
            if start.hasPrefix("{") || start.hasPrefix("[") { return .json }
            if start.hasPrefix("<") { return .html }
            return .markdown
        default:
            return nil
        }
    }

    /// Extracts the items; `selector` is CSS (or XPath when it starts with `/`) for HTML and a dotted path for JSON.
    public static func items(text: String, kind: Kind, selector: String? = nil) throws(ScrapeError) -> [TodoItem] {
        switch kind {
        case .markdown:
            return MarkdownExtractor(text: text).items()
        case .json:
            return try JSONExtractor(text: text).items(path: selector)
        case .html:
            guard let selector else {
                return HTMLExtractor(scopes: [try HTMLDocument(text: text).root], selected: false).items()
            }
            if selector.hasPrefix("/") || selector.hasPrefix("(") {
                let document = try HTMLDocument(text: text, xpath: selector)
                return HTMLExtractor(scopes: [document.root].flatMap(Self.marked), selected: true).items()
            }
            let css = try CSSSelector(selector)
            let picked = try HTMLDocument(text: text).root
            return HTMLExtractor(scopes: outermost(css.select(in: picked)), selected: true).items()
        }
    }

    private static func marked(_ node: HTMLNode) -> [HTMLNode] {
        node.selected ? [node] : node.elements.flatMap(marked)
    }

    /// Drops picked elements that sit inside another picked element.
    private static func outermost(_ nodes: [HTMLNode]) -> [HTMLNode] {
        let picked = Set(nodes.map(ObjectIdentifier.init))
        return nodes.filter { node in
            var ancestor = node.parent
            while let current = ancestor {
                if picked.contains(ObjectIdentifier(current)) { return false }
                ancestor = current.parent
            }
            return true
        }
    }
}
