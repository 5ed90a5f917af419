/// The `uri` format of JSON Schema: an absolute URI by RFC 3986 (`scheme ":" hier-part ["?" query] ["#" fragment]`),
/// ASCII only, every `%` followed by two hex digits. The one `format` Switchboard's schemas assert.
enum URIFormat {
    static func isValid(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")), colon > 0, isAlpha(bytes[0]),
              bytes[1..<colon].allSatisfy({ isAlpha($0) || isDigit($0) || "+-.".utf8.contains($0) }) else { return false }
        var rest = bytes[(colon + 1)...]
        if let hash = rest.firstIndex(of: UInt8(ascii: "#")) {
            guard valid(rest[(hash + 1)...], extra: "/?") else { return false }
            rest = rest[..<hash]
        }
        if let question = rest.firstIndex(of: UInt8(ascii: "?")) {
            guard valid(rest[(question + 1)...], extra: "/?") else { return false }
            rest = rest[..<question]
        }
        if rest.starts(with: "//".utf8) {
            let authority = rest.dropFirst(2).prefix { $0 != UInt8(ascii: "/") }
            guard validAuthority(authority) else { return false }
            rest = rest[authority.endIndex...]
        }
        return valid(rest, extra: "/")
    }

    /// `[userinfo "@"] host [":" port]`, host a registered name, IPv4 address or `[IP-literal]`.
    private static func validAuthority(_ authority: ArraySlice<UInt8>) -> Bool {
        var host = authority
        if let at = authority.lastIndex(of: UInt8(ascii: "@")) {
            guard valid(authority[..<at], extra: ":", pchar: false) else { return false }
            host = authority[(at + 1)...]
        }
        if host.first == UInt8(ascii: "[") {
            guard let close = host.firstIndex(of: UInt8(ascii: "]")) else { return false }
            let literal = host[(host.startIndex + 1)..<close]
            guard !literal.isEmpty, literal.allSatisfy({ isHex($0) || ":.".utf8.contains($0) }) || literal.first == UInt8(ascii: "v") else { return false }
            return port(host[(close + 1)...])
        }
        let colon = host.firstIndex(of: UInt8(ascii: ":")) ?? host.endIndex
        return valid(host[..<colon], extra: "", pchar: false) && port(host[colon...])
    }

    private static func port(_ part: ArraySlice<UInt8>) -> Bool {
        part.isEmpty || (part.first == UInt8(ascii: ":") && part.dropFirst().allSatisfy(isDigit))
    }

    /// Unreserved characters, sub-delims, `%XX`, `:` and `@` when `pchar`, and `extra`.
    private static func valid(_ part: ArraySlice<UInt8>, extra: String, pchar: Bool = true) -> Bool {
        var index = part.startIndex
        while index < part.endIndex {
            let byte = part[index]
            if byte == UInt8(ascii: "%") {
                guard index + 2 < part.endIndex, isHex(part[index + 1]), isHex(part[index + 2]) else { return false }
                index += 3
                continue
            }
            let allowed = isAlpha(byte) || isDigit(byte) || "-._~!$&'()*+,;=".utf8.contains(byte)
                || (pchar && ":@".utf8.contains(byte)) || extra.utf8.contains(byte)
            guard allowed else { return false }
            index += 1
        }
        return true
    }

    private static func isAlpha(_ byte: UInt8) -> Bool { (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) }
    private static func isDigit(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) }
    private static func isHex(_ byte: UInt8) -> Bool { isDigit(byte) || (0x41...0x46).contains(byte) || (0x61...0x66).contains(byte) }
}
