import Foundation
import Testing

@testable import AgeEncryption

/// The strict, canonical base64 age requires (RFC 4648 standard alphabet; unpadded in
/// the header, padded in the armor).
@Suite struct Base64Tests {
    static func unpadded(_ text: String) -> [UInt8]? { Base64.decode(Array(text.utf8), padded: false) }
    static func padded(_ text: String) -> [UInt8]? { Base64.decode(Array(text.utf8), padded: true) }

    @Test func roundTripsAndMatchesFoundation() throws {
        var generator = SeededGenerator(seed: 64)
        for length in 0...70 {
            let bytes = generator.bytes(length)
            let withPadding = Base64.encode(bytes, padded: true)
            let foundation = Data(bytes).base64EncodedString()
            #expect(String(decoding: withPadding, as: UTF8.self) == foundation, "length \(length)")
            let withoutPadding = Base64.encode(bytes, padded: false)
            #expect(
                String(decoding: withoutPadding, as: UTF8.self) == foundation.replacingOccurrences(of: "=", with: ""))
            #expect(withPadding.count == (length + 2) / 3 * 4)
            #expect(withoutPadding.count == (length * 8 + 5) / 6)
            #expect(Base64.decode(withPadding, padded: true) == bytes, "length \(length)")
            #expect(Base64.decode(withoutPadding, padded: false) == bytes, "length \(length)")
            // Each form is rejected by the other decoder whenever padding is involved.
            if length % 3 != 0 {
                #expect(Base64.decode(withPadding, padded: false) == nil)
                #expect(Base64.decode(withoutPadding, padded: true) == nil)
            } else {
                #expect(withPadding == withoutPadding)
            }
        }
    }

    @Test func knownAnswers() {
        // RFC 4648 section 10.
        let vectors = [
            "": "", "f": "Zg==", "fo": "Zm8=", "foo": "Zm9v", "foob": "Zm9vYg==", "fooba": "Zm9vYmE=",
            "foobar": "Zm9vYmFy",
        ]
        for (plain, encoded) in vectors {
            #expect(String(decoding: Base64.encode(Array(plain.utf8), padded: true), as: UTF8.self) == encoded)
            #expect(Self.padded(encoded) == Array(plain.utf8))
            #expect(Self.unpadded(encoded.replacingOccurrences(of: "=", with: "")) == Array(plain.utf8))
        }
        #expect(Self.unpadded("+/+/") == [0xFB, 0xFF, 0xBF])
        #expect(Self.unpadded("AA") == [0x00])
        #expect(Self.unpadded("AQ") == [0x01])
        #expect(Self.unpadded("/w") == [0xFF])
        #expect(Self.unpadded("AAE") == [0x00, 0x01])
        #expect(Self.unpadded("//8") == [0xFF, 0xFF])
    }

    @Test func unpaddedRejectsPadding() {
        for text in ["AA==", "AAA=", "AA=", "A=", "=", "==", "Zm9v=", "Zg==Zg", "AA=A"] {
            #expect(Self.unpadded(text) == nil, "\(text)")
        }
    }

    @Test func rejectsNonZeroTrailingBits() {
        // One byte in two characters: the last character's low 4 bits are unused and must be zero.
        for character in Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") {
            let value = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/").firstIndex(
                of: character)!
            let one = Self.unpadded("A\(character)")
            let two = Self.unpadded("AA\(character)")
            if value & 0x0F == 0 {
                #expect(one == [UInt8(value >> 4)], "A\(character)")
            } else {
                #expect(one == nil, "A\(character)")
            }
            // Two bytes in three characters: the last character's low 2 bits must be zero.
            if value & 0x03 == 0 {
                #expect(two == [0, UInt8(value >> 2)], "AA\(character)")
            } else {
                #expect(two == nil, "AA\(character)")
            }
        }
        // The same in padded form, and inside longer input.
        #expect(Self.unpadded("AB") == nil)
        #expect(Self.padded("AB==") == nil)
        #expect(Self.padded("AAB=") == nil)
        #expect(Self.padded("Zh==") == nil)  // "f" is Zg==
        #expect(Self.padded("Zm9=") == nil)  // "fo" is Zm8=
        #expect(Self.unpadded("Zm9vYh") == nil)
        // A 32-byte key in 43 characters leaves 2 trailing bits.
        let key = Base64.encode([UInt8](repeating: 0xFF, count: 32), padded: false)
        #expect(key.count == 43 && key.last == UInt8(ascii: "8"))
        var altered = key
        altered[42] = UInt8(ascii: "9")  // same bytes under a lenient decoder
        #expect(Base64.decode(altered, padded: false) == nil)
        #expect(
            Data(
                base64Encoded: String(
                    decoding: altered,
                    as: UTF8.self) + "=") != nil)  // Foundation is lenient here
    }

    @Test func rejectsImpossibleLengths() {
        for text in ["A", "AAAAA", "AAAAAAAAA", "Zm9vY"] {
            #expect(Self.unpadded(text) == nil, "\(text)")
        }
        for text in ["A", "AA", "AAA", "AAAAA", "Zg=", "Zg", "Zm9vYg=", "Zm9vYg===", "A===", "====", "AAAA===="] {
            #expect(Self.padded(text) == nil, "\(text)")
        }
    }

    @Test func rejectsCharactersOutsideTheAlphabet() {
        let bad = [
            "AA AA", " AAAA", "AAAA ", "AA\nAA", "AAAA\n", "AA\rAA", "AA\tA", "-_-_", "AA_A", "AA-A", "AA.A", "AA*A",
            "AA\u{0}A",
        ]
        for text in bad {
            #expect(Self.unpadded(text) == nil, "\(text.debugDescription)")
            #expect(Self.padded(text) == nil, "\(text.debugDescription)")
        }
        // Non-ASCII bytes, including ones whose low 7 bits are alphabet characters.
        for byte: UInt8 in [0x80, 0xC1, 0xE1, 0xFF] {
            #expect(Base64.decode([65, 65, byte, 65], padded: false) == nil)
            #expect(Base64.decode([65, 65, byte, 65], padded: true) == nil)
        }
    }

    @Test func paddedRequiresExactPadding() {
        #expect(Self.padded("") == [])
        #expect(Self.padded("AA==") == [0])
        #expect(Self.padded("AAA=") == [0, 0])
        #expect(Self.padded("AAAA") == [0, 0, 0])
        // Missing, extra, or misplaced padding.
        for text in ["AA=", "AA", "AAA", "AAA==", "AAAA=", "AAAA==", "A=A=", "=AAA", "AA=A", "AAAA=AAA", "Zg==Zg=="] {
            #expect(Self.padded(text) == nil, "\(text)")
        }
    }
}
