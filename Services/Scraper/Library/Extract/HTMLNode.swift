/// An element or text node of a parsed HTML page: a plain Swift tree built once from libxml2's.
final class HTMLNode {
    /// Lower-case tag name, or `#text` for text.
    let name: String
    let attributes: [String: String]
    /// Text of a text node (entities decoded); empty for elements.
    let text: String
    private(set) var children: [HTMLNode] = []
    private(set) weak var parent: HTMLNode?
    /// Marked by an XPath selector.
    var selected = false

    /// The `class` attribute's tokens, lower case.
    let classes: [String]
    /// Whether the node is a task, worked out once by the extractor.
    var isTaskCache: Bool?

    init(name: String, attributes: [String: String] = [:], text: String = "") {
        self.name = name
        self.attributes = attributes
        self.text = text
        self.classes = attributes["class"].map { $0.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }).map(String.init) } ?? []
    }

    func append(_ child: HTMLNode) {
        child.parent = self
        children.append(child)
    }

    var isText: Bool { name == "#text" }
    var elements: [HTMLNode] { children.filter { !$0.isText } }

    /// Every element below this one, depth first in document order.
    var descendants: [HTMLNode] {
        var result: [HTMLNode] = []
        var stack = Array(elements.reversed())
        while let node = stack.popLast() {
            result.append(node)
            stack.append(contentsOf: node.elements.reversed())
        }
        return result
    }

    /// Text content, skipping descendants for which `skip` is true; block elements and `<br>` become spaces.
    func textContent(skipping skip: (HTMLNode) -> Bool = { _ in false }) -> String {
        var output = ""
        for child in children { child.appendText(to: &output, skipping: skip) }
        return output
    }

    private func appendText(to output: inout String, skipping skip: (HTMLNode) -> Bool) {
        if isText {
            output += text
            return
        }
        if Self.hidden.contains(name) || skip(self) { return }
        let block = Self.blocks.contains(name)
        if block { output += " " }
        for child in children { child.appendText(to: &output, skipping: skip) }
        if block { output += " " }
    }

    static let hidden: Set<String> = ["script", "style", "template", "noscript", "head", "input", "button", "select", "svg"]
    static let blocks: Set<String> = ["br", "p", "div", "li", "ul", "ol", "td", "th", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "label", "dd", "dt", "blockquote", "pre", "hr"]
    static let lists: Set<String> = ["ul", "ol"]
    static let headings: Set<String> = ["h1", "h2", "h3", "h4", "h5", "h6"]
}
