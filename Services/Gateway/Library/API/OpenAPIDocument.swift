import Foundation

/// The OpenAPI 3.1 document of the REST API (`Services/Gateway/Library/openapi.json`, a resource of this module, served at `/openapi.json`).
public enum OpenAPIDocument {
    public static let data: [UInt8] = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json"), let data = try? Data(contentsOf: url) else {
            return Array(#"{"error":"openapi.json missing from the gateway's resources"}"#.utf8)
        }
        return Array(data)
    }()
}
