import Crypto
import Foundation
import Testing

@testable import AgeEncryption

@Suite struct TamperingTests {
    static let identity = AgeFixtures.identity(seed: 100)
    static let second = AgeFixtures.identity(seed: 101)

    /// A small single-recipient file, the same every run.
    static func smallFile() throws -> [UInt8] {
        try Age.encrypt(Array("attack at dawn".utf8), to: [identity.recipient], random: AgeFixtures.fixed(0x5A))
    }

    /// What a flipped header byte may cause, by where it is. The MAC covers everything
    /// before it, so no flip may ever decrypt.
    enum Region: String, CustomStringConvertible {
        case version, stanzaPrefix, stanzaType, share, body, macPrefix, mac, macNewline

        var description: String { rawValue }

        var allowed: Set<AgeErrorKind> {
            switch self {
            case .version, .stanzaPrefix, .macPrefix, .macNewline: return [.header]
            // Another printable type makes the stanza an unknown one, which is skipped.
            case .stanzaType: return [.header, .noMatch]
            // A different share or body no longer unwraps the file key (or is not canonical base64).
            case .share, .body: return [.header, .noMatch]
            case .mac: return [.header, .hmac]
            }
        }
    }

    static func region(of index: Int, in header: [UInt8]) -> Region {
        let text = String(decoding: header, as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(\.utf8.count)
        // Offsets: version line, stanza line, body line, MAC line.
        let versionEnd = lines[0] + 1
        let stanzaEnd = versionEnd + lines[1] + 1
        let bodyEnd = stanzaEnd + lines[2] + 1
        switch index {
        case ..<versionEnd: return .version
        case ..<(versionEnd + 3): return .stanzaPrefix
        case ..<(versionEnd + 10): return .stanzaType  // "X25519 "
        case ..<stanzaEnd: return .share  // includes its newline
        case ..<bodyEnd: return .body
        case ..<(bodyEnd + 4): return .macPrefix
        case ..<(header.count - 1): return .mac
        default: return .macNewline
        }
    }

    @Test func flippingAnyHeaderByteFails() throws {
        let file = try Self.smallFile()
        #expect(try Age.decrypt(file, identities: [Self.identity]) == Array("attack at dawn".utf8))
        let headerLength = try #require(AgeFixtures.headerLength(file))
        let header = Array(file[..<headerLength])
        #expect(headerLength > 150)
        var checked = 0
        for index in 0..<headerLength {
            let region = Self.region(of: index, in: header)
            for mask: UInt8 in [0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0xFF] {
                var tampered = file
                tampered[index] ^= mask
                let failure = decryptionFailure(tampered, identities: [Self.identity])
                #expect(
                    failure.map { region.allowed.contains($0) } == true,
                    "byte \(index) (\(region)) ^ \(mask): \(failure.map(\.description) ?? "decrypted")")
                checked += 1
            }
        }
        #expect(checked == headerLength * 9)
    }

    @Test func specificHeaderFlipsGiveTheirCategory() throws {
        let file = try Self.smallFile()
        let headerLength = try #require(AgeFixtures.headerLength(file))
        // "age-encryption.org/v2"
        var version = file
        version[20] = UInt8(ascii: "2")
        #expect(decryptionFailure(version, identities: [Self.identity]) == .header)
        // "x25519": an unknown stanza type, skipped; then nothing matches.
        var type = file
        type[25] = UInt8(ascii: "x")
        #expect(decryptionFailure(type, identities: [Self.identity]) == .noMatch)
        // The first MAC character changed to another base64 character.
        var mac = file
        let macStart = headerLength - 44
        mac[macStart] = mac[macStart] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        #expect(decryptionFailure(mac, identities: [Self.identity]) == .hmac)
        // The first body character: the wrapped file key no longer authenticates.
        var body = file
        let bodyStart = 22 + 10 + 44
        body[bodyStart] = body[bodyStart] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        #expect(decryptionFailure(body, identities: [Self.identity]) == .noMatch)
    }

    /// Header shapes the parser must refuse (or accept), independent of any key or MAC.
    @Test func headerParsingIsStrict() throws {
        let version = "age-encryption.org/v1\n"
        let mac = "--- " + String(repeating: "A", count: 43) + "\n"
        let full = String(repeating: "A", count: 64)
        // An unknown stanza with a full 64-column line, then the (empty) short line.
        let valid = try Header.parse(Array((version + "-> foo bar\n" + full + "\n\n" + mac).utf8) + [1, 2, 3])
        #expect(valid.stanzas == [Stanza(type: "foo", arguments: ["bar"], body: [UInt8](repeating: 0, count: 48))])
        #expect(valid.mac == [UInt8](repeating: 0, count: 32))
        #expect(valid.payloadOffset == (version + "-> foo bar\n" + full + "\n\n" + mac).utf8.count)
        let invalid = [
            version + "-> foo\n" + String(repeating: "A", count: 66) + "\n\n" + mac,  // body line over 64 columns
            version + "-> foo\n" + full + "\n" + mac,  // a full last line needs an empty line after it
            version + "-> foo\n" + "AA==\n" + mac,  // padded body
            version + "-> foo\n" + "AB\n" + mac,  // non-canonical body
            "age-encryption.org/v1\r\n-> foo\n\n" + mac,  // CR in the version line
            "age-encryption.org/v1 \n-> foo\n\n" + mac,
            version + "->\n\n" + mac,  // no stanza type
            version + "-> \n\n" + mac,
            version + "-> foo  bar\n\n" + mac,  // empty argument
            version + "-> foo bar \n\n" + mac,
            version + "-> foo\r\n\n" + mac,
            version + "-> foo\n\r\n" + mac,
            version + mac,  // no stanzas
            version + "-> foo\n\n" + "--- " + String(repeating: "A", count: 42) + "\n",  // short MAC
            version + "-> foo\n\n" + "--- " + String(repeating: "A", count: 44) + "\n",  // long MAC
            version + "-> foo\n\n" + "---" + String(repeating: "A", count: 44) + "\n",
            version + "-> foo\n\n" + "--- " + String(repeating: "A", count: 42) + "B\n",  // non-canonical MAC
            version + "-> foo\n\n" + "--- " + String(repeating: "A", count: 43),  // no newline after the MAC
            version + "-> foo\n\n",  // no MAC line
            version + "-> foo\n",  // unterminated stanza
        ]
        for text in invalid {
            #expect(
                failureKind { () throws(AgeError) in try Header.parse(Array(text.utf8)) } == .header,
                "\(text.debugDescription)")
        }
    }

    @Test(arguments: [0, 1, 100, 65535, 65536, 65537, 131_072])
    func flippingAPayloadByteFails(size: Int) throws {
        let file = try Age.encrypt(AgeFixtures.content(size), to: [Self.identity.recipient])
        let headerLength = try #require(AgeFixtures.headerLength(file))
        // The nonce, the first byte of the first chunk, a middle byte, the last tag byte.
        let positions = [
            headerLength, headerLength + 15, headerLength + 16, (headerLength + file.count) / 2, file.count - 1,
        ]
        for position in Set(positions) {
            for mask: UInt8 in [0x01, 0x80] {
                var tampered = file
                tampered[position] ^= mask
                #expect(
                    decryptionFailure(tampered, identities: [Self.identity]) == .payload,
                    "payload byte \(position - headerLength) ^ \(mask)")
            }
        }
    }

    @Test(arguments: [0, 100, 65536, 65537, 131_072])
    func truncationFails(size: Int) throws {
        let file = try Age.encrypt(AgeFixtures.content(size), to: [Self.identity.recipient])
        let headerLength = try #require(AgeFixtures.headerLength(file))
        let payloadStart = headerLength + 16
        let full = 65536 + 16
        // Inside the header, or a missing or short nonce: a header error (as the CCTV
        // vectors classify it); from the first chunk on: a payload error.
        var cuts = [
            0, 1, 22, headerLength - 1, headerLength, headerLength + 8, payloadStart, payloadStart + 1,
            file.count - 1, file.count - 16, file.count - 17,
        ]
        if size > 65536 {
            // Cut exactly after the first full chunk (the final chunk is missing), and just before.
            cuts += [payloadStart + full, payloadStart + full - 1]
        }
        for cut in Set(cuts) where cut >= 0 && cut < file.count {
            let failure = decryptionFailure(Array(file[..<cut]), identities: [Self.identity])
            let expected: AgeErrorKind = cut < payloadStart ? .header : .payload
            #expect(failure == expected, "cut at \(cut) of \(file.count)")
        }
    }

    @Test(arguments: [0, 100, 65536, 131_072])
    func appendingAByteFails(size: Int) throws {
        let file = try Age.encrypt(AgeFixtures.content(size), to: [Self.identity.recipient])
        for extra: UInt8 in [0x00, 0x0A, 0x41] {
            #expect(decryptionFailure(file + [extra], identities: [Self.identity]) == .payload)
        }
        // A whole extra tag-sized block, or a complete copy of the last 16 bytes.
        #expect(decryptionFailure(file + file.suffix(16), identities: [Self.identity]) == .payload)
    }

    @Test func anAuthenticEmptyFinalChunkAfterAFullChunkIsRejected() throws {
        // age seals exactly 64 KiB as one full final chunk; a full non-final chunk
        // followed by an empty final chunk is forbidden even though both authenticate.
        // The header (whose MAC does not cover the payload) is reused with a payload
        // sealed by hand under the same file key (the fixed randomness gives it).
        let plaintext = AgeFixtures.content(65536)
        let file = try Age.encrypt(plaintext, to: [Self.identity.recipient], random: AgeFixtures.fixed(0x5A))
        let headerLength = try #require(AgeFixtures.headerLength(file))
        let fileKey = [UInt8](repeating: 0x5A, count: 16)
        let nonce = [UInt8](repeating: 0x5A, count: 16)
        let key = PayloadStream.key(fileKey: fileKey, nonce: nonce)
        let first = try ChaChaPoly.seal(plaintext, using: key, nonce: PayloadStream.chunkNonce(0, last: false))
        let empty = try ChaChaPoly.seal([UInt8](), using: key, nonce: PayloadStream.chunkNonce(1, last: true))
        let forged = Array(file[..<headerLength]) + nonce + first.ciphertext + first.tag + empty.ciphertext + empty.tag
        #expect(forged.count == file.count + 16)
        var released: [UInt8] = []
        #expect(
            failureKind { () throws(AgeError) in
                try Age.decrypt(binary: forged, identities: [Self.identity]) { released.append(contentsOf: $0) }
            } == .payload)
        #expect(released == plaintext)  // the first chunk itself was authentic
        #expect(decryptionFailure(forged, identities: [Self.identity]) == .payload)
        // The legitimate file opens, and the same construction with a final full chunk
        // reproduces it exactly.
        let legit = try ChaChaPoly.seal(plaintext, using: key, nonce: PayloadStream.chunkNonce(0, last: true))
        #expect(Array(file[..<headerLength]) + nonce + legit.ciphertext + legit.tag == file)
    }

    @Test func swappingStanzasBreaksTheMAC() throws {
        let file = try Age.encrypt(
            AgeFixtures.content(500), to: [Self.identity.recipient, Self.second.recipient])
        let headerLength = try #require(AgeFixtures.headerLength(file))
        let text = String(decoding: file[..<headerLength], as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        try #require(lines.count == 7)
        let swapped = [lines[0], lines[3], lines[4], lines[1], lines[2], lines[5], lines[6]].joined(separator: "\n")
        let tampered = Array(swapped.utf8) + file[headerLength...]
        #expect(tampered.count == file.count && tampered != file)
        #expect(decryptionFailure(tampered, identities: [Self.identity]) == .hmac)
        #expect(decryptionFailure(tampered, identities: [Self.second]) == .hmac)
        // Dropping one stanza breaks the MAC too.
        let dropped = [lines[0], lines[1], lines[2], lines[5], lines[6]].joined(separator: "\n")
        #expect(decryptionFailure(Array(dropped.utf8) + file[headerLength...], identities: [Self.identity]) == .hmac)
        // The untouched file opens for both.
        #expect(decryptionFailure(file, identities: [Self.identity]) == nil)
        #expect(decryptionFailure(file, identities: [Self.second]) == nil)
    }

    @Test func armorWithAFlippedBase64CharacterFails() throws {
        let file = try Age.encrypt(AgeFixtures.content(1000), to: [Self.identity.recipient], armor: true)
        #expect(decryptionFailure(file, identities: [Self.identity]) == nil)
        let begin = "-----BEGIN AGE ENCRYPTED FILE-----\n".utf8.count
        let end = file.count - "-----END AGE ENCRYPTED FILE-----\n".utf8.count
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var checked = 0
        for position in stride(from: begin, to: end, by: 7) where file[position] != UInt8(ascii: "\n") {
            // Another base64 character, and a character outside the alphabet.
            let index = alphabet.firstIndex(of: file[position])
            let replacements: [UInt8] = [index.map { alphabet[($0 + 1) % 64] } ?? UInt8(ascii: "A"), UInt8(ascii: "*")]
            for replacement in replacements where replacement != file[position] {
                var tampered = file
                tampered[position] = replacement
                let failure = decryptionFailure(tampered, identities: [Self.identity])
                #expect(failure != nil, "armor byte \(position) -> \(replacement)")
                if replacement == UInt8(ascii: "*") { #expect(failure == .armor) }
                checked += 1
            }
        }
        #expect(checked > 200)
        // Armor framing damage.
        let text = String(decoding: file, as: UTF8.self)
        for broken in [
            text.replacingOccurrences(of: "BEGIN AGE", with: "BEGIN AGF"),
            text.replacingOccurrences(of: "END AGE", with: "END AGF"),
            text + "trailing garbage\n",
            String(text.dropLast("-----END AGE ENCRYPTED FILE-----\n".count)),
        ] {
            let failure = decryptionFailure(Array(broken.utf8), identities: [Self.identity])
            #expect(failure != nil)
            #expect(failure == .armor || failure == .header)
        }
    }

    @Test func decryptReleasesNothingPartialOnError() throws {
        // Three chunks; the last is altered. The streaming API releases the two good
        // chunks before failing; the whole-file API throws and returns nothing.
        let plaintext = AgeFixtures.content(2 * 65536 + 100)
        let file = try Age.encrypt(plaintext, to: [Self.identity.recipient])
        var tampered = file
        tampered[tampered.count - 5] ^= 0x01

        var released: [UInt8] = []
        #expect(throws: AgeError.self) {
            try Age.decrypt(binary: tampered, identities: [Self.identity]) { released.append(contentsOf: $0) }
        }
        #expect(released == Array(plaintext[..<(2 * 65536)]))

        var result: [UInt8]? = nil
        #expect(
            failureKind { () throws(AgeError) in result = try Age.decrypt(tampered, identities: [Self.identity]) }
                == .payload)
        #expect(result == nil)

        // Likewise for a truncated and an armored file.
        #expect(throws: AgeError.self) {
            result = try Age.decrypt(Array(file.dropLast(50)), identities: [Self.identity])
        }
        #expect(result == nil)
        let armoredTampered = Armor.encode(tampered)
        #expect(throws: AgeError.self) { result = try Age.decrypt(armoredTampered, identities: [Self.identity]) }
        #expect(result == nil)
    }
}
