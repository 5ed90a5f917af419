import AgentBase

/// One `{{ … }}` expression: an operand (a field path or a literal) piped through filters.
public struct TemplateExpression: Sendable, Hashable {
    /// What an expression starts from.
    public enum Operand: Sendable, Hashable {
        /// A field path such as `steps.review.result.findings` or `inputs.items[0]`.
        case path([PathComponent])
        /// A quoted string, a number, `true`, `false` or `null`.
        case literal(JSONValue)
    }

    /// One component of a field path.
    public enum PathComponent: Sendable, Hashable {
        case key(String)
        case index(Int)
    }

    /// A filter with its optional argument, e.g. `join: ", "`.
    public struct Application: Sendable, Hashable {
        public var filter: TemplateFilter
        public var argument: Operand?
    }

    public var operand: Operand
    public var filters: [Application]

    /// Every field path the expression reads (its operand's and its filters' arguments').
    public var paths: [[PathComponent]] {
        ([operand] + filters.compactMap(\.argument)).compactMap {
            if case .path(let components) = $0 { return components }
            return nil
        }
    }

    /// The value of the expression in `scope`; a path that leads nowhere is `null`.
    public func evaluate(in scope: JSONValue) throws(TemplateError) -> JSONValue {
        var value = Self.resolve(operand, in: scope)
        for application in filters {
            value = try application.filter.apply(to: value, argument: application.argument.map { Self.resolve($0, in: scope) })
        }
        return value
    }

    static func resolve(_ operand: Operand, in scope: JSONValue) -> JSONValue {
        switch operand {
        case .literal(let value):
            return value
        case .path(let components):
            var value: JSONValue? = scope
            for component in components {
                switch component {
                case .key(let key): value = value?[key]
                case .index(let index): value = value?[index]
                }
            }
            return value ?? .null
        }
    }
}

extension Array where Element == TemplateExpression.PathComponent {
    /// `steps.review.result[0]`.
    public var dotted: String {
        var text = ""
        for component in self {
            switch component {
            case .key(let key): text += text.isEmpty ? key : ".\(key)"
            case .index(let index): text += "[\(index)]"
            }
        }
        return text
    }
}
