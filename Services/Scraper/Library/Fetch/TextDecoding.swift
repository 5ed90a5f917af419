import Foundation

/// Turns bytes into text using a byte-order mark, the declared charset or a `<meta>` charset, falling back to UTF-8.
enum TextDecoding {
    /// Decodes the body; `sniffMeta` looks for `<meta charset>` in the first KiB when no charset was declared.
    static func decode(_ bytes: [UInt8], charset: String?, sniffMeta: Bool) -> String {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return String(decoding: bytes.dropFirst(3), as: UTF8.self) }
        if bytes.starts(with: [0xFF, 0xFE]), let text = String(data: Data(bytes.dropFirst(2)), encoding: .utf16LittleEndian) { return text }
        if bytes.starts(with: [0xFE, 0xFF]), let text = String(data: Data(bytes.dropFirst(2)), encoding: .utf16BigEndian) { return text }
        let declared = charset ?? (sniffMeta ? metaCharset(bytes) : nil)
        if let declared, let encoding = encoding(named: declared), encoding != .utf8,
           let text = String(data: Data(bytes), encoding: encoding) {
            return text
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The encoding for a charset label (WHATWG labels: latin1 and iso-8859-1 mean windows-1252).
    static func encoding(named label: String) -> String.Encoding? {
        switch label.lowercased() {
        case "utf-8", "utf8", "unicode-1-1-utf-8": return .utf8
        case "us-ascii", "ascii", "iso-8859-1", "iso8859-1", "latin1", "l1", "windows-1252", "cp1252", "x-cp1252": return .windowsCP1252
        case "iso-8859-2", "latin2", "windows-1250", "cp1250": return .windowsCP1250
        case "windows-1251", "cp1251": return .windowsCP1251
        case "utf-16", "utf-16le": return .utf16LittleEndian
        case "utf-16be": return .utf16BigEndian
        case "shift_jis", "shift-jis", "sjis": return .shiftJIS
        case "euc-jp": return .japaneseEUC
        default: return nil
        }
    }

    /// `<meta charset="…">` or `<meta http-equiv="Content-Type" content="…; charset=…">` near the top of a page.
    static func metaCharset(_ bytes: [UInt8]) -> String? {
        let head = String(decoding: bytes.prefix(1024), as: UTF8.self).lowercased()
        guard let range = head.range(of: "charset=") else { return nil }
        let rest = head[range.upperBound...].drop { $0 == "\"" || $0 == "'" || $0 == " " }
        let label = rest.prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
        return label.isEmpty ? nil : String(label)
    }
}
