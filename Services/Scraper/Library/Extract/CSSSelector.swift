import Foundation

/// A small CSS selector subset for picking the part of a page that holds the list: type, `#id`, `.class`,
/// `[attr]`, `[attr=value]` (also `~=`, `^=`, `$=`, `*=`), `*`, descendant and `>` child combinators, and
/// `,` groups. Anything else is refused with the supported list.
struct CSSSelector {
    private struct Compound {
        var tag: String?
        var id: String?
        var classes: [String] = []
        var attributes: [(name: String, op: String?, value: String)] = []
    }

    private enum Combinator { case descendant, child }

    /// Each alternative is a chain of compounds, rightmost last, with the combinator before each.
    private var alternatives: [[(combinator: Combinator, compound: Compound)]] = []

    static let supported = "type, #id, .class, [attr], [attr=value], [attr~=|^=|$=|*=value], *, descendant and > combinators, comma groups"

    init(_ text: String) throws(ScrapeError) {
        for part in text.split(separator: ",") {
            alternatives.append(try Self.parseChain(Array(part.trimmingCharacters(in: .whitespaces)), source: text))
        }
        if alternatives.isEmpty || alternatives.contains(where: \.isEmpty) { throw .invalidSelector(text, reason: "empty selector") }
    }

    private static func parseChain(_ characters: [Character], source: String) throws(ScrapeError) -> [(combinator: Combinator, compound: Compound)] {
        var chain: [(combinator: Combinator, compound: Compound)] = []
        var index = 0
        var pending = Combinator.descendant
        while index < characters.count {
            let character = characters[index]
            if character.isWhitespace { index += 1; continue }
            if character == ">" {
                guard !chain.isEmpty else { throw .invalidSelector(source, reason: "'>' needs an element before it") }
                pending = .child
                index += 1
                continue
            }
            let compound = try parseCompound(characters, &index, source: source)
            chain.append((pending, compound))
            pending = .descendant
        }
        return chain
    }

    private static func parseCompound(_ characters: [Character], _ index: inout Int, source: String) throws(ScrapeError) -> Compound {
        var compound = Compound()
        func name() -> String {
            var result = ""
            while index < characters.count, characters[index].isLetter || characters[index].isNumber || characters[index] == "-" || characters[index] == "_" {
                result.append(characters[index])
                index += 1
            }
            return result
        }
        var consumed = false
        while index < characters.count {
            let character = characters[index]
            if character.isWhitespace || character == ">" { break }
            consumed = true
            switch character {
            case "*":
                index += 1
            case "#":
                index += 1
                compound.id = name()
            case ".":
                index += 1
                compound.classes.append(name().lowercased())
            case "[":
                index += 1
                let attribute = name().lowercased()
                var op: String?
                var value = ""
                if index < characters.count, characters[index] != "]" {
                    var opText = ""
                    while index < characters.count, "~^$*|=".contains(characters[index]) {
                        opText.append(characters[index])
                        index += 1
                    }
                    guard ["=", "~=", "^=", "$=", "*="].contains(opText) else { throw .invalidSelector(source, reason: "unsupported attribute operator '\(opText)'; supported: \(supported)") }
                    op = opText
                    let quote = index < characters.count && (characters[index] == "\"" || characters[index] == "'") ? characters[index] : nil
                    if quote != nil { index += 1 }
                    while index < characters.count, characters[index] != (quote ?? "]") {
                        value.append(characters[index])
                        index += 1
                    }
                    if quote != nil { index += 1 }
                }
                guard index < characters.count, characters[index] == "]", !attribute.isEmpty else { throw .invalidSelector(source, reason: "unclosed or empty [attribute]") }
                index += 1
                compound.attributes.append((attribute, op, value))
            default:
                guard character.isLetter else { throw .invalidSelector(source, reason: "'\(character)' is not supported; supported: \(supported)") }
                compound.tag = name().lowercased()
            }
        }
        guard consumed else { throw .invalidSelector(source, reason: "expected an element") }
        return compound
    }

    /// The elements under `root` (document order) that match.
    func select(in root: HTMLNode) -> [HTMLNode] {
        root.descendants.filter(matches)
    }

    func matches(_ node: HTMLNode) -> Bool {
        alternatives.contains { Self.matches(node, chain: $0[...]) }
    }

    private static func matches(_ node: HTMLNode, chain: ArraySlice<(combinator: Combinator, compound: Compound)>) -> Bool {
        guard let last = chain.last, matches(node, last.compound) else { return false }
        let rest = chain.dropLast()
        if rest.isEmpty { return true }
        var ancestor = node.parent
        while let candidate = ancestor, candidate.name != "#document" {
            if matches(candidate, chain: rest) { return true }
            if last.combinator == .child { return false }
            ancestor = candidate.parent
        }
        return false
    }

    private static func matches(_ node: HTMLNode, _ compound: Compound) -> Bool {
        if let tag = compound.tag, node.name != tag { return false }
        if let id = compound.id, node.attributes["id"] != id { return false }
        let classes = node.classes
        if !compound.classes.allSatisfy(classes.contains) { return false }
        for attribute in compound.attributes {
            guard let actual = node.attributes[attribute.name] else { return false }
            switch attribute.op {
            case nil: continue
            case "=": if actual != attribute.value { return false }
            case "~=": if !actual.split(separator: " ").contains(Substring(attribute.value)) { return false }
            case "^=": if !actual.hasPrefix(attribute.value) { return false }
            case "$=": if !actual.hasSuffix(attribute.value) { return false }
            default: if !actual.contains(attribute.value) { return false }
            }
        }
        return true
    }
}
