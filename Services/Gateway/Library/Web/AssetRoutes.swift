import Foundation
import Hummingbird

/// `/assets/<name>`: the dashboard's scripts and style sheet, shipped as resources of the gateway and read once; and an
/// empty `/favicon.ico`.
struct AssetRoutes: Sendable {
    /// Each asset's bytes and content type, by file name.
    static let assets: [String: (data: Data, type: String)] = {
        let types = ["css": "text/css; charset=utf-8", "js": "text/javascript; charset=utf-8"]
        guard let folder = Bundle.module.url(forResource: "Assets", withExtension: nil),
              let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [:] }
        return Dictionary(uniqueKeysWithValues: names.compactMap { name in
            guard let type = types[(name as NSString).pathExtension], let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path) else { return nil }
            return (name, (data, type))
        })
    }()

    func add(to router: Router<GatewayRequestContext>) {
        // Browsers ask for it on every page; an empty answer keeps a 404 out of their consoles.
        router.get("/favicon.ico") { _, _ in Response(status: .noContent, headers: [.cacheControl: "max-age=86400"]) }
        router.get("/assets/{name}") { _, context -> Response in
            let name = try context.parameters.require("name")
            guard let asset = Self.assets[name] else { throw APIError.notFound("no asset \(name)") }
            return Response(
                status: .ok, headers: [.contentType: asset.type, .cacheControl: "no-cache", .xContentTypeOptions: "nosniff"],
                body: .init(byteBuffer: ByteBuffer(bytes: asset.data))
            )
        }
    }
}
