import Foundation

/// Shannon entropy in bits per character: about 1–3 for words and repeated text, 4 and more for random keys.
enum ShannonEntropy {
    static func bitsPerCharacter<S: StringProtocol>(_ text: S) -> Double {
        var counts: [Character: Int] = [:]
        for character in text { counts[character, default: 0] += 1 }
        let total = Double(text.count)
        guard total > 0 else { return 0 }
        return counts.values.reduce(0) { sum, count in
            let p = Double(count) / total
            return sum - p * log2(p)
        }
    }
}
