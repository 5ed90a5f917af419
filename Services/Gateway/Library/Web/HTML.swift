/// A piece of markup. Interpolated values are escaped unless they are `HTML` themselves, so text from a request, a
/// payload or a result can only ever become text.
struct HTML: ExpressibleByStringInterpolation, Sendable {
    let markup: String

    init(stringLiteral value: String) {
        markup = value
    }

    init(stringInterpolation: StringInterpolation) {
        markup = stringInterpolation.markup
    }

    /// Markup made by other code of the gateway (never from what a request carried).
    init(trusted markup: String) {
        self.markup = markup
    }

    /// Builds markup, escaping every interpolated value that is not `HTML`.
    struct StringInterpolation: StringInterpolationProtocol {
        var markup = ""

        init(literalCapacity: Int, interpolationCount: Int) {
            markup.reserveCapacity(literalCapacity * 2)
        }

        mutating func appendLiteral(_ literal: String) {
            markup += literal
        }

        mutating func appendInterpolation(_ html: HTML) {
            markup += html.markup
        }

        mutating func appendInterpolation(_ list: [HTML]) {
            for html in list { markup += html.markup }
        }

        mutating func appendInterpolation(_ value: some CustomStringConvertible) {
            markup += HTML.escape(value.description)
        }

        /// Nothing for nil.
        mutating func appendInterpolation(_ value: String?) {
            markup += value.map(HTML.escape) ?? ""
        }
    }

    /// `&`, `<`, `>`, `"` and `'` as entities: safe in text and in quoted attributes.
    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// The items joined with nothing between them.
    static func join(_ items: [HTML]) -> HTML {
        HTML(trusted: items.map(\.markup).joined())
    }
}

extension HTML {
    /// The same markup with an `id` on its first element (the live status word of a page).
    func withID(_ id: String) -> HTML {
        guard let space = markup.firstIndex(of: " ") else { return self }
        return HTML(trusted: markup[..<space] + " id=\"\(HTML.escape(id))\"" + markup[space...])
    }
}
