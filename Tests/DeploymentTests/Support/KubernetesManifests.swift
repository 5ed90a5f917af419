import Foundation

/// Every object of the YAML files under deploy/k8s, with the file it came from.
struct KubernetesManifests {
    struct Object {
        let file: String
        let value: YAMLValue

        var kind: String { value["kind"].string ?? "" }
        var name: String { value["metadata", "name"].string ?? "" }
    }

    static let directory = "deploy/k8s"

    let objects: [Object]

    init() throws {
        let base = DeploymentFiles.root.appendingPathComponent(Self.directory)
        let enumerator = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil)
        var objects: [Object] = []
        while let url = enumerator?.nextObject() as? URL {
            guard ["yaml", "yml"].contains(url.pathExtension) else { continue }
            let relative = String(url.path.dropFirst(DeploymentFiles.root.path.count + 1))
            for document in try YAMLValue.parseAll(String(contentsOf: url, encoding: .utf8)) {
                objects.append(Object(file: relative, value: document))
            }
        }
        self.objects = objects.sorted { ($0.file, $0.kind, $0.name) < ($1.file, $1.kind, $1.name) }
    }

    /// Objects of one kind in the kustomize base (overlays hold partial patches).
    func base(_ kind: String) -> [Object] {
        objects.filter { $0.kind == kind && $0.file.hasPrefix("\(Self.directory)/base/") }
    }

    /// The base ConfigMap every service reads with envFrom.
    var configuration: YAMLValue {
        base("ConfigMap").first { $0.name == "switchboard-config" }?.value["data"] ?? YAMLValue(nil)
    }
}
