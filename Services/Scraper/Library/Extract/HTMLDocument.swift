import CLibXML2
import Foundation

/// An HTML page parsed by libxml2's error-tolerant HTML parser and copied into an `HTMLNode` tree.
struct HTMLDocument {
    let root: HTMLNode

    /// Parses the page; with `xpath`, the nodes it selects are marked `selected`.
    init(text: String, xpath: String? = nil) throws(ScrapeError) {
        Self.initialise
        let bytes = Array(text.utf8)
        let options = Int32(HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_NONET.rawValue | HTML_PARSE_COMPACT.rawValue | HTML_PARSE_IGNORE_ENC.rawValue)
        let document = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                htmlReadMemory($0, Int32(buffer.count), nil, "UTF-8", options)
            }
        }
        guard let document else {
            root = HTMLNode(name: "html")
            return
        }
        defer { xmlFreeDoc(document) }
        let marked = try xpath.map { expression throws(ScrapeError) in try Self.evaluate(expression, in: document) } ?? []
        let top = HTMLNode(name: "#document")
        var child = document.pointee.children
        while let node = child {
            Self.copy(node, into: top, marked: marked)
            child = node.pointee.next
        }
        root = top
    }

    private static let initialise: Void = { xmlInitParser() }()

    private static func evaluate(_ expression: String, in document: htmlDocPtr) throws(ScrapeError) -> Set<UnsafeMutableRawPointer> {
        guard let context = xmlXPathNewContext(document) else { return [] }
        defer { xmlXPathFreeContext(context) }
        guard let result = xmlXPathEvalExpression(expression, context) else {
            throw .invalidSelector(expression, reason: "not a valid XPath expression")
        }
        defer { xmlXPathFreeObject(result) }
        guard let set = result.pointee.nodesetval, set.pointee.nodeNr > 0, let table = set.pointee.nodeTab else { return [] }
        var marked = Set<UnsafeMutableRawPointer>()
        for index in 0..<Int(set.pointee.nodeNr) {
            if let node = table[index] { marked.insert(UnsafeMutableRawPointer(node)) }
        }
        return marked
    }

    private static func copy(_ node: xmlNodePtr, into parent: HTMLNode, marked: Set<UnsafeMutableRawPointer>) {
        switch node.pointee.type {
        case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
            if let content = node.pointee.content { parent.append(HTMLNode(name: "#text", text: String(cString: content))) }
        case XML_ELEMENT_NODE:
            let name = node.pointee.name.map { String(cString: $0).lowercased() } ?? ""
            var attributes: [String: String] = [:]
            var attribute = node.pointee.properties
            while let current = attribute {
                if let attributeName = current.pointee.name {
                    let key = String(cString: attributeName).lowercased()
                    if let value = xmlNodeGetContent(UnsafeMutableRawPointer(current).assumingMemoryBound(to: xmlNode.self)) {
                        attributes[key] = String(cString: value)
                        cxml_free(value)
                    } else {
                        attributes[key] = ""
                    }
                }
                attribute = current.pointee.next
            }
            let element = HTMLNode(name: name, attributes: attributes)
            element.selected = marked.contains(UnsafeMutableRawPointer(node))
            parent.append(element)
            var child = node.pointee.children
            while let current = child {
                copy(current, into: element, marked: marked)
                child = current.pointee.next
            }
        default:
            break
        }
    }
}
