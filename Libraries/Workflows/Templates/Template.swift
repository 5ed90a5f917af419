import AgentBase
import Foundation

/// A string with `{{ expression }}` parts. A template that is one expression alone (`"{{ steps.review.result }}"`)
/// yields the expression's value with its JSON type; otherwise the parts are joined into a string.
public struct Template: Sendable, Hashable {
    enum Segment: Sendable, Hashable {
        case text(String)
        case expression(TemplateExpression)
    }

    /// The text the template was parsed from.
    public let source: String
    let segments: [Segment]

    /// Parses `source`; an unclosed `{{`, an empty expression, an unknown filter or a bad argument is an error.
    public init(parsing source: String) throws(TemplateError) {
        self.source = source
        var segments: [Segment] = []
        var rest = Substring(source)
        while let open = rest.range(of: "{{") {
            if open.lowerBound > rest.startIndex { segments.append(.text(String(rest[..<open.lowerBound]))) }
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                throw TemplateError("'{{' without a closing '}}' in \"\(source)\"")
            }
            let body = String(rest[open.upperBound..<close.lowerBound])
            var parser = ExpressionParser(body)
            segments.append(.expression(try parser.parse()))
            rest = rest[close.upperBound...]
        }
        if !rest.isEmpty { segments.append(.text(String(rest))) }
        self.segments = segments
    }

    /// Whether the text has no `{{ … }}` at all.
    public var isLiteral: Bool {
        segments.allSatisfy { if case .text = $0 { true } else { false } }
    }

    /// Every expression in the template.
    public var expressions: [TemplateExpression] {
        segments.compactMap { if case .expression(let expression) = $0 { expression } else { nil } }
    }

    /// The template's value in `scope`.
    public func render(_ scope: JSONValue) throws(TemplateError) -> JSONValue {
        if segments.count == 1, case .expression(let expression) = segments[0] {
            return try expression.evaluate(in: scope)
        }
        var text = ""
        for segment in segments {
            switch segment {
            case .text(let literal): text += literal
            case .expression(let expression): text += try expression.evaluate(in: scope).text
            }
        }
        return .string(text)
    }
}
