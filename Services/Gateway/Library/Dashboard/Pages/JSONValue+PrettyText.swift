import AgentBase
import Foundation

extension JSONValue {
    /// Indented JSON for people.
    var prettyText: String {
        guard let data = jsonString.data(using: .utf8), let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]),
              let pretty = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes, .fragmentsAllowed]) else { return jsonString }
        return String(decoding: pretty, as: UTF8.self)
    }
}
