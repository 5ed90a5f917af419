import Yams

/// A parsed YAML value (merge keys `<<` resolved) with forgiving navigation: a missing key is `nil`, never a crash.
struct YAMLValue: @unchecked Sendable, CustomStringConvertible {
    let raw: Any?

    init(_ raw: Any?) {
        self.raw = raw
    }

    /// One document.
    static func parse(_ text: String) throws -> YAMLValue {
        YAMLValue(try Yams.load(yaml: text))
    }

    /// Every mapping document of a multi-document file (`---`); empty documents are dropped.
    static func parseAll(_ text: String) throws -> [YAMLValue] {
        var sequence = try Yams.load_all(yaml: text)
        var documents: [YAMLValue] = []
        while let document = sequence.next() {
            documents.append(YAMLValue(document))
        }
        if let error = sequence.error { throw error }
        return documents.filter { $0.dictionary != nil }
    }

    subscript(key: String) -> YAMLValue {
        YAMLValue(dictionary?[key]?.raw)
    }

    /// A path of keys, `value["spec", "template", "spec"]`.
    subscript(path: String...) -> YAMLValue {
        path.reduce(self) { $0[$1] }
    }

    var exists: Bool { raw != nil }

    var dictionary: [String: YAMLValue]? {
        guard let mapping = raw as? [AnyHashable: Any] else { return nil }
        var result: [String: YAMLValue] = [:]
        for (key, value) in mapping {
            result["\(key.base)"] = YAMLValue(value)
        }
        return result
    }

    var array: [YAMLValue] {
        (raw as? [Any])?.map(YAMLValue.init) ?? []
    }

    /// A scalar as text (`9090` and `"9090"` alike); `nil` for mappings, sequences and missing values.
    var string: String? {
        switch raw {
        case let text as String: text
        case let number as Int: String(number)
        case let number as Double: String(number)
        case let flag as Bool: String(flag)
        default: nil
        }
    }

    var int: Int? { string.flatMap { Int($0) } }

    var strings: [String] { array.compactMap(\.string) }

    var description: String { raw.map { "\($0)" } ?? "nil" }
}
