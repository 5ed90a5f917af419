import AgentBase

/// Parses the inside of `{{ … }}`: `operand (| filter (: operand)?)*`, where an operand is a field path
/// (`a.b[0].c`), a quoted string, a number, `true`, `false` or `null`.
struct ExpressionParser {
    private let text: String
    private var index: String.Index

    init(_ text: String) {
        self.text = text
        self.index = text.startIndex
    }

    mutating func parse() throws(TemplateError) -> TemplateExpression {
        skipSpaces()
        guard index < text.endIndex else { throw TemplateError("empty expression '{{}}'") }
        let operand = try parseOperand()
        var filters: [TemplateExpression.Application] = []
        skipSpaces()
        while index < text.endIndex {
            guard text[index] == "|" else { throw TemplateError("unexpected '\(text[index...])' in '{{\(text)}}'; filters follow a '|'") }
            advance()
            skipSpaces()
            let name = identifier()
            guard let filter = TemplateFilter(rawValue: name) else {
                let known = TemplateFilter.allCases.map(\.rawValue).joined(separator: ", ")
                throw TemplateError(name.isEmpty ? "a filter name must follow '|' in '{{\(text)}}'" : "unknown filter '\(name)' (known: \(known))")
            }
            skipSpaces()
            var argument: TemplateExpression.Operand?
            if index < text.endIndex, text[index] == ":" {
                guard filter.argument.allowed else { throw TemplateError("filter '\(name)' takes no argument") }
                advance()
                skipSpaces()
                argument = try parseOperand()
                if filter == .atLeast, case .path(let components)? = argument, components.count == 1, case .key(let level) = components[0] {
                    argument = .literal(.string(level))  // `at_least: warning` names a level, not a field
                }
                skipSpaces()
            } else if filter.argument.required {
                throw TemplateError("filter '\(name)' needs an argument, e.g. '\(name): …'")
            }
            if filter == .atLeast, case .literal(let level)? = argument, !TemplateFilter.severities.contains(level.stringValue ?? "") {
                throw TemplateError("at_least: the argument must be one of \(TemplateFilter.severities.joined(separator: ", ")), not \(level.jsonString)")
            }
            filters.append(.init(filter: filter, argument: argument))
        }
        return TemplateExpression(operand: operand, filters: filters)
    }

    private mutating func parseOperand() throws(TemplateError) -> TemplateExpression.Operand {
        guard index < text.endIndex else { throw TemplateError("a value is missing at the end of '{{\(text)}}'") }
        let character = text[index]
        if character == "\"" || character == "'" { return .literal(.string(try quoted(character))) }
        if character.isNumber || character == "-" {
            let start = index
            while index < text.endIndex, text[index].isNumber || text[index] == "." || text[index] == "-" { advance() }
            guard let number = Double(text[start..<index]) else { throw TemplateError("'\(text[start..<index])' is not a number") }
            return .literal(.number(number))
        }
        let first = identifier()
        guard !first.isEmpty else { throw TemplateError("unexpected '\(character)' in '{{\(text)}}'") }
        switch first {
        case "true": return .literal(true)
        case "false": return .literal(false)
        case "null": return .literal(nil)
        default: break
        }
        var components: [TemplateExpression.PathComponent] = [.key(first)]
        while index < text.endIndex {
            if text[index] == "." {
                advance()
                let key = identifier()
                guard !key.isEmpty else { throw TemplateError("a field name must follow '.' in '{{\(text)}}'") }
                components.append(.key(key))
            } else if text[index] == "[" {
                advance()
                let start = index
                while index < text.endIndex, text[index].isNumber { advance() }
                guard let position = Int(text[start..<index]), index < text.endIndex, text[index] == "]" else {
                    throw TemplateError("an index is a whole number in brackets, e.g. 'items[0]', in '{{\(text)}}'")
                }
                advance()
                components.append(.index(position))
            } else {
                break
            }
        }
        return .path(components)
    }

    private mutating func quoted(_ quote: Character) throws(TemplateError) -> String {
        advance()
        var value = ""
        while index < text.endIndex, text[index] != quote {
            if text[index] == "\\", text.index(after: index) < text.endIndex {
                advance()
                value.append(text[index] == "n" ? "\n" : text[index])
            } else {
                value.append(text[index])
            }
            advance()
        }
        guard index < text.endIndex else { throw TemplateError("unterminated string in '{{\(text)}}'") }
        advance()
        return value
    }

    private mutating func identifier() -> String {
        let start = index
        while index < text.endIndex, text[index].isLetter || text[index].isNumber || text[index] == "_" || text[index] == "-" { advance() }
        return String(text[start..<index])
    }

    private mutating func skipSpaces() {
        while index < text.endIndex, text[index].isWhitespace { advance() }
    }

    private mutating func advance() {
        index = text.index(after: index)
    }
}
