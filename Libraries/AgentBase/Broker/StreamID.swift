/// Stream ids (`<ms>-<seq>`) compared as numbers.
enum StreamID {
    static func less(_ a: String, _ b: String) -> Bool {
        func parts(_ id: String) -> (UInt64, UInt64) {
            let split = id.split(separator: "-")
            return (UInt64(split.first ?? "0") ?? 0, UInt64(split.count > 1 ? split[1] : "0") ?? 0)
        }
        return parts(a) < parts(b)
    }
}
