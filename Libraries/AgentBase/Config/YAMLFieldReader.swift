import Foundation
import Yams

/// Reads a YAML document node by node so that every error names the file, the line and the field path.
public protocol YAMLFieldReader {
    /// The file being read, as it appears in error messages.
    var path: String { get }
}

extension YAMLFieldReader {
    /// The text of the file at `path`; a file that cannot be read is an error that says what the file is for.
    public func readFile(_ what: String) throws(ConfigFileError) -> String {
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigFileError(file: path, line: nil, field: nil, message: "cannot read \(what): \(error.localizedDescription)")
        }
    }

    /// The root node of `text`; an empty document or invalid YAML is an error at its line.
    public func compose(_ text: String) throws(ConfigFileError) -> Node {
        guard let root = try composeIfPresent(text) else { throw fail(nil, nil, "the file is empty") }
        return root
    }

    /// The root node of `text`, or nil for a document with nothing in it (only comments, say); invalid YAML is an error at its line.
    public func composeIfPresent(_ text: String) throws(ConfigFileError) -> Node? {
        do {
            return try Yams.compose(yaml: text)
        } catch let error as YamlError {
            let line = "\(error)".firstMatch(of: /(\d+):\d+/).flatMap { Int($0.1) }
            throw ConfigFileError(file: path, line: line, field: nil, message: "not valid YAML: \(error)")
        } catch {
            throw fail(nil, nil, "not valid YAML: \(error)")
        }
    }

    /// Refuses keys outside `allowed`, naming the known ones.
    public func checkKeys(_ map: Node.Mapping, allowed: Set<String>, field: String) throws(ConfigFileError) {
        for (key, _) in map {
            guard let name = key.string, allowed.contains(name) else {
                let known = allowed.sorted().joined(separator: ", ")
                throw fail(key, fieldPath(field, key.string ?? "?"), "unknown field (known: \(known))")
            }
        }
    }

    /// A required non-empty string.
    public func string(_ map: Node.Mapping, _ key: String, field: String) throws(ConfigFileError) -> String {
        guard let value = try optionalString(map, key, field: field) else { throw fail(map.first?.key, fieldPath(field, key), "is required") }
        return value
    }

    /// A non-empty string, or nil when the key is absent.
    public func optionalString(_ map: Node.Mapping, _ key: String, field: String) throws(ConfigFileError) -> String? {
        guard let node = map[key] else { return nil }
        guard let scalar = node.scalar, !scalar.string.isEmpty else { throw fail(node, fieldPath(field, key), "must be a non-empty string") }
        return scalar.string
    }

    /// A required list of non-empty strings.
    public func strings(_ map: Node.Mapping, _ key: String, field: String) throws(ConfigFileError) -> [String] {
        guard let node = map[key] else { throw fail(map.first?.key, fieldPath(field, key), "is required") }
        guard let list = node.sequence else { throw fail(node, fieldPath(field, key), "must be a list of strings") }
        var values: [String] = []
        for (index, item) in list.enumerated() {
            guard let scalar = item.scalar, !scalar.string.isEmpty else { throw fail(item, "\(fieldPath(field, key))[\(index)]", "must be a string") }
            values.append(scalar.string)
        }
        return values
    }

    /// A list of strings, or an empty list when the key is absent.
    public func optionalStrings(_ map: Node.Mapping, _ key: String, field: String) throws(ConfigFileError) -> [String] {
        map[key] == nil ? [] : try strings(map, key, field: field)
    }

    /// A whole number of at least `minimum`, or `value` when the key is absent.
    public func int(_ map: Node.Mapping, _ key: String, field: String, default value: Int, minimum: Int) throws(ConfigFileError) -> Int {
        guard let node = map[key] else { return value }
        guard let number = node.int else { throw fail(node, fieldPath(field, key), "must be a whole number") }
        guard number >= minimum else { throw fail(node, fieldPath(field, key), "must be at least \(minimum)") }
        return number
    }

    /// `true` or `false`, or `value` when the key is absent.
    public func bool(_ map: Node.Mapping, _ key: String, field: String, default value: Bool) throws(ConfigFileError) -> Bool {
        guard let node = map[key] else { return value }
        guard let flag = node.bool else { throw fail(node, fieldPath(field, key), "must be true or false") }
        return flag
    }

    /// `field.key`, or `key` at the top level.
    public func fieldPath(_ field: String, _ key: String) -> String {
        field.isEmpty ? key : "\(field).\(key)"
    }

    /// An error at `node`'s line for `field`.
    public func fail(_ node: Node?, _ field: String?, _ message: String) -> ConfigFileError {
        ConfigFileError(file: path, line: node?.mark?.line, field: field, message: message)
    }
}
