/// Which resolved addresses the scraper may connect to: public unicast only, unless the host is allow-listed.
public enum AddressPolicy {
    /// Why an address is refused (`nil` when it is public unicast).
    public static func refusal(for address: IPAddress) -> String? {
        switch address {
        case .v4(let bytes): return refusal(v4: bytes)
        case .v6(let bytes): return refusal(v6: bytes)
        }
    }

    private static func refusal(v4 b: [UInt8]) -> String? {
        switch (b[0], b[1]) {
        case (0, _): return "this-network"
        case (10, _), (172, 16...31), (192, 168): return "private"
        case (100, 64...127): return "shared (carrier-grade NAT)"
        case (127, _): return "loopback"
        case (169, 254): return b[2] == 169 && b[3] == 254 ? "cloud metadata" : "link-local"
        case (192, 0) where b[2] == 0 || b[2] == 2: return "reserved"
        case (198, 18...19): return "benchmarking"
        case (198, 51) where b[2] == 100, (203, 0) where b[2] == 113: return "documentation"
        case (224...239, _): return "multicast"
        case (240...255, _): return "reserved"
        default: return nil
        }
    }

    private static func refusal(v6 b: [UInt8]) -> String? {
        let isZero = { (range: Range<Int>) in b[range].allSatisfy { $0 == 0 } }
        if isZero(0..<16) { return "unspecified" }
        if isZero(0..<15) && b[15] == 1 { return "loopback" }
        // IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) carry an IPv4 address.
        if isZero(0..<10) && b[10] == 0xff && b[11] == 0xff { return refusal(v4: Array(b[12..<16])) }
        if isZero(0..<12) { return refusal(v4: Array(b[12..<16])) }
        if b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && isZero(4..<12) { return refusal(v4: Array(b[12..<16])) }
        if b[0] == 0x20 && b[1] == 0x02 { return refusal(v4: Array(b[2..<6])) }  // 6to4
        if b[0] == 0xff { return "multicast" }
        if b[0] == 0xfe && (b[1] & 0xc0) == 0x80 { return "link-local" }
        if b[0] == 0xfe && (b[1] & 0xc0) == 0xc0 { return "site-local" }
        if (b[0] & 0xfe) == 0xfc { return b == [0xfd, 0x00, 0x0e, 0xc2] + Array(repeating: 0, count: 11) + [0x54] ? "cloud metadata" : "private (unique local)" }
        if b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8 { return "documentation" }
        if b[0] == 0x01 && isZero(1..<8) { return "discard" }
        return nil
    }

    /// Host names that point at instance metadata services whatever they resolve to.
    public static func isMetadataName(_ host: String) -> Bool {
        ["metadata", "metadata.google.internal", "metadata.goog", "instance-data", "instance-data.ec2.internal"].contains(host)
    }
}
