import Testing

@testable import VCCCredentials

/// Bytes given in order, then zeros: to see exactly which bytes minting keeps.
private struct ScriptedRandom: RandomSource {
    let script: [UInt8]

    func randomBytes(_ count: Int) -> [UInt8] {
        Array((script + [UInt8](repeating: 0, count: count)).prefix(count))
    }
}

@Suite struct SecretTests {
    @Test func aSecretIs40AlphanumericCharacters() {
        let random = SeededRandom(seed: 5)
        for _ in 0..<200 {
            let secret = Secret.mint(from: random)
            let text = secret.plaintext
            #expect(text.count == 40)
            #expect(text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) })
        }
    }

    /// Bytes 248...255 are dropped rather than folded modulo 62, which would make the
    /// first eight characters more likely.
    @Test func bytesAbove247AreRejectedNotFolded() {
        let script: [UInt8] = [248, 0, 255, 61, 247, 62, 250] + [UInt8](repeating: 1, count: 40)
        let secret = Secret.mint(from: ScriptedRandom(script: script))
        // 0 -> A, 61 -> 9, 247 % 62 = 61 -> 9, 62 % 62 = 0 -> A, then 1 -> B.
        #expect(secret.plaintext.hasPrefix("A99AB"))
    }

    @Test func everyCharacterIsAboutEquallyLikely() {
        let random = SeededRandom(seed: 11)
        var counts: [Character: Int] = [:]
        for _ in 0..<3_100 {
            for character in Secret.mint(from: random).plaintext { counts[character, default: 0] += 1 }
        }
        // 124,000 characters over 62 symbols: 2,000 expected each.
        #expect(counts.count == 62)
        #expect(counts.values.allSatisfy { (1_800...2_200).contains($0) }, "\(counts)")
    }

    @Test func aSecretNeverPrintsItself() {
        let secret = Secret.mint(from: SeededRandom(seed: 1))
        #expect("\(secret)" == "<redacted secret>")
        #expect(String(reflecting: secret) == "<redacted secret>")
        #expect(!"\([secret])".contains(secret.plaintext))
    }

    @Test func theDigestIsTheSHA256OfTheCharacters() {
        let secret = Secret.mint(from: SeededRandom(seed: 1))
        #expect(secret.sha256 == Digest.sha256Hex(Array(secret.plaintext.utf8)))
    }
}
