import Crypto
import Foundation
import Testing

@testable import AgeEncryption

@Suite struct RoundTripTests {
    static let sizes = [0, 1, 65535, 65536, 65537, 2 * 65536, 1_048_576]

    @Test(arguments: sizes)
    func binaryRoundTrip(size: Int) throws {
        let identity = AgeFixtures.identity(seed: 1)
        let plaintext = AgeFixtures.content(size)
        let file = try Age.encrypt(plaintext, to: [identity.recipient])
        #expect(!Armor.isArmored(file))
        #expect(file.starts(with: Array("age-encryption.org/v1\n".utf8)))
        let opened = try Age.decrypt(file, identities: [identity])
        #expect(opened == plaintext)

        // The streaming form releases the same bytes, in chunks of at most 64 KiB.
        var released: [UInt8] = []
        var chunkSizes: [Int] = []
        try Age.decrypt(binary: file, identities: [identity]) {
            released.append(contentsOf: $0)
            chunkSizes.append($0.count)
        }
        #expect(released == plaintext)
        #expect(chunkSizes.count == AgeFixtures.chunkCount(size))
        #expect(chunkSizes.allSatisfy { $0 <= PayloadStream.chunkSize })
    }

    @Test(arguments: sizes)
    func armoredRoundTrip(size: Int) throws {
        let identity = AgeFixtures.identity(seed: 2)
        let plaintext = AgeFixtures.content(size, seed: 7)
        let file = try Age.encrypt(plaintext, to: [identity.recipient], armor: true)
        #expect(Armor.isArmored(file))
        let text = String(decoding: file, as: UTF8.self)
        #expect(text.hasPrefix("-----BEGIN AGE ENCRYPTED FILE-----\n"))
        #expect(text.hasSuffix("\n-----END AGE ENCRYPTED FILE-----\n"))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropFirst().dropLast(2)
        #expect(lines.allSatisfy { $0.count <= 64 && !$0.isEmpty })
        #expect(lines.dropLast().allSatisfy { $0.count == 64 })
        #expect(try Age.decrypt(file, identities: [identity]) == plaintext)
        // The armor wraps exactly the binary file.
        let binary = try Armor.decode(file)
        #expect(binary.starts(with: Array("age-encryption.org/v1\n".utf8)))
        #expect(try Age.decrypt(binary, identities: [identity]) == plaintext)
    }

    @Test func armorToleratesSurroundingWhitespaceAndCRLF() throws {
        let identity = AgeFixtures.identity(seed: 3)
        let plaintext = AgeFixtures.content(300)
        let armored = String(decoding: try Age.encrypt(plaintext, to: [identity.recipient], armor: true), as: UTF8.self)
        let crlf = "\n  \t" + armored.replacingOccurrences(of: "\n", with: "\r\n") + " \n"
        #expect(try Age.decrypt(Array(crlf.utf8), identities: [identity]) == plaintext)
    }

    @Test(arguments: [false, true])
    func everyRecipientAloneOpensTheFile(armor: Bool) throws {
        let identities = (10..<13).map { AgeFixtures.identity(seed: $0) }
        let plaintext = AgeFixtures.content(70_000, seed: 3)
        let file = try Age.encrypt(plaintext, to: identities.map(\.recipient), armor: armor)
        for identity in identities {
            #expect(try Age.decrypt(file, identities: [identity]) == plaintext)
        }
        // An identity among several that do not match still opens it, wherever it is.
        let strangers = (20..<22).map { AgeFixtures.identity(seed: $0) }
        #expect(try Age.decrypt(file, identities: strangers + [identities[2]]) == plaintext)
        #expect(try Age.decrypt(file, identities: [identities[1]] + strangers) == plaintext)
    }

    @Test func anIdentityThatIsNotARecipientGetsNoMatch() throws {
        let recipients = (30..<33).map { AgeFixtures.identity(seed: $0) }
        let stranger = AgeFixtures.identity(seed: 99)
        let file = try Age.encrypt(AgeFixtures.content(100), to: recipients.map(\.recipient))
        #expect(throws: AgeError.noMatch) { try Age.decrypt(file, identities: [stranger]) }
        #expect(throws: AgeError.noMatch) { try Age.decrypt(file, identities: []) }
        let armored = try Age.encrypt(AgeFixtures.content(100), to: recipients.map(\.recipient), armor: true)
        #expect(throws: AgeError.noMatch) { try Age.decrypt(armored, identities: [stranger]) }
    }

    @Test func emptyRecipientListThrows() {
        #expect(throws: AgeError.self) { try Age.encrypt([1, 2, 3], to: []) }
        #expect(failureKind { () throws(AgeError) in try Age.encrypt([], to: [], armor: true) } == .invalidKey)
    }

    @Test func lowOrderRecipientIsRefused() throws {
        // The all-zero public key is a low-order point: the shared secret would be zero.
        // Its text is refused where it is read; a key made otherwise is refused by the
        // encryption itself, as the age specification requires.
        let text = Bech32.encode(hrp: "age", data: [UInt8](repeating: 0, count: 32))
        #expect(failureKind { () throws(AgeError) in _ = try X25519Recipient(text) } == .invalidKey)
        let zero = X25519Recipient(publicKey: [UInt8](repeating: 0, count: 32))
        #expect(failureKind { () throws(AgeError) in try Age.encrypt([1], to: [zero]) } == .invalidKey)
    }

    @Test func fixedRandomnessGivesIdenticalOutput() throws {
        let recipients = (40..<42).map { AgeFixtures.identity(seed: $0).recipient }
        let plaintext = AgeFixtures.content(100_000)
        for armor in [false, true] {
            let first = try Age.encrypt(plaintext, to: recipients, armor: armor, random: AgeFixtures.fixed(0x42))
            let second = try Age.encrypt(plaintext, to: recipients, armor: armor, random: AgeFixtures.fixed(0x42))
            let other = try Age.encrypt(plaintext, to: recipients, armor: armor, random: AgeFixtures.fixed(0x43))
            #expect(first == second)
            #expect(first != other)
            #expect(first.count == other.count)
        }
        // The system CSPRNG gives a different file each time.
        let random1 = try Age.encrypt(plaintext, to: recipients)
        let random2 = try Age.encrypt(plaintext, to: recipients)
        #expect(random1 != random2)
    }

    /// Rebuilds a sealed file from the age specification with Crypto primitives directly,
    /// given the randomness `Age.encrypt` was handed, and compares byte for byte.
    @Test func outputMatchesAnIndependentComputationFromTheSpec() throws {
        let identities = (50..<52).map { AgeFixtures.identity(seed: $0) }
        let plaintext = AgeFixtures.content(65536 + 10)
        let random = RecordingRandom()
        let file = try Age.encrypt(plaintext, to: identities.map(\.recipient), random: random.source)
        // File key, one ephemeral secret per recipient, the payload nonce.
        #expect(random.sizes == [16, 32, 32, 16])
        let fileKey = [UInt8](repeating: 1, count: 16)
        let nonce = [UInt8](repeating: 4, count: 16)

        var header = "age-encryption.org/v1\n"
        for (index, identity) in identities.enumerated() {
            let ephemeral = try Curve25519.KeyAgreement.PrivateKey(
                rawRepresentation: [UInt8](repeating: UInt8(index + 2), count: 32))
            let share = Array(ephemeral.publicKey.rawRepresentation)
            let recipientKey = identity.recipient.publicKey
            let shared = try ephemeral.sharedSecretFromKeyAgreement(
                with: Curve25519.KeyAgreement.PublicKey(rawRepresentation: recipientKey))
            let wrapKey = shared.hkdfDerivedSymmetricKey(
                using: SHA256.self, salt: share + recipientKey, sharedInfo: Array("age-encryption.org/v1/X25519".utf8),
                outputByteCount: 32)
            let box = try ChaChaPoly.seal(
                fileKey, using: wrapKey, nonce: ChaChaPoly.Nonce(data: [UInt8](repeating: 0, count: 12)))
            let body = Array(box.ciphertext) + Array(box.tag)
            header += "-> X25519 \(Data(share).base64EncodedString().replacingOccurrences(of: "=", with: ""))\n"
            header += Data(body).base64EncodedString().replacingOccurrences(of: "=", with: "") + "\n"
        }
        header += "---"
        let headerKey = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: fileKey), salt: [UInt8](), info: Array("header".utf8),
            outputByteCount: 32)
        let mac = HMAC<SHA256>.authenticationCode(for: Array(header.utf8), using: headerKey)
        header += " " + Data(mac).base64EncodedString().replacingOccurrences(of: "=", with: "") + "\n"

        let payloadKey = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: fileKey), salt: nonce, info: Array("payload".utf8), outputByteCount: 32
        )
        var expected = Array(header.utf8) + nonce
        let chunks = [Array(plaintext[0..<65536]), Array(plaintext[65536...])]
        for (counter, chunk) in chunks.enumerated() {
            var chunkNonce = [UInt8](repeating: 0, count: 12)
            chunkNonce[10] = UInt8(counter)
            chunkNonce[11] = counter == chunks.count - 1 ? 1 : 0
            let sealed = try ChaChaPoly.seal(chunk, using: payloadKey, nonce: ChaChaPoly.Nonce(data: chunkNonce))
            expected += Array(sealed.ciphertext) + Array(sealed.tag)
        }
        #expect(file.count == expected.count)
        #expect(file == expected)
    }

    @Test(arguments: [1, 2, 3])
    func fileStructure(recipientCount: Int) throws {
        let recipients = (60..<(60 + recipientCount)).map { AgeFixtures.identity(seed: UInt64($0)).recipient }
        let file = try Age.encrypt(AgeFixtures.content(10), to: recipients)
        #expect(file.starts(with: Array("age-encryption.org/v1\n-> X25519 ".utf8)))
        let headerLength = try #require(AgeFixtures.headerLength(file))
        let header = String(decoding: file[..<headerLength], as: UTF8.self)
        let lines = header.split(separator: "\n", omittingEmptySubsequences: false)
        // version, (stanza line + body line) per recipient, MAC line, "" after the final \n
        try #require(lines.count == 1 + 2 * recipientCount + 1 + 1)
        #expect(lines[0] == "age-encryption.org/v1")
        let stanzaLines = lines.filter { $0.hasPrefix("-> ") }
        #expect(stanzaLines.count == recipientCount)
        for index in 0..<recipientCount {
            let stanza = lines[1 + 2 * index]
            let body = lines[2 + 2 * index]
            #expect(stanza.hasPrefix("-> X25519 "))
            // A 32-byte share and a 32-byte wrapped key: 43 unpadded base64 characters each.
            #expect(stanza.count == "-> X25519 ".count + 43)
            #expect(body.count == 43)
            #expect(!stanza.contains("=") && !body.contains("="))
        }
        // Distinct ephemeral shares per recipient.
        #expect(Set(stanzaLines).count == recipientCount)
        let macLine = lines[lines.count - 2]
        #expect(macLine.hasPrefix("--- "))
        #expect(macLine.count == 4 + 43)
        #expect(lines.last == "")
    }

    @Test(arguments: sizes)
    func payloadSize(size: Int) throws {
        let recipient = AgeFixtures.identity(seed: 70).recipient
        let file = try Age.encrypt(AgeFixtures.content(size), to: [recipient])
        let headerLength = try #require(AgeFixtures.headerLength(file))
        let chunks = AgeFixtures.chunkCount(size)
        #expect(file.count - headerLength == 16 + size + 16 * chunks)
        let expectedChunks: [Int: Int] = [0: 1, 1: 1, 65535: 1, 65536: 1, 65537: 2, 131_072: 2, 1_048_576: 16]
        #expect(chunks == expectedChunks[size])
    }
}
