import Foundation
import Testing

@testable import AgeEncryption

/// BIP 173 test vectors (https://github.com/bitcoin/bips/blob/master/bip-0173.mediawiki).
@Suite struct Bech32Tests {
    /// Valid Bech32 strings, with their human-readable part.
    static let valid: [(String, String)] = [
        ("A12UEL5L", "A"),
        ("a12uel5l", "a"),
        (
            "an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs",
            "an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio"
        ),
        ("abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw", "abcdef"),
        ("11" + String(repeating: "q", count: 82) + "c8247j", "1"),  // 90 characters, 82 zero words
        ("?1ezyfcl", "?"),
    ]

    @Test(arguments: valid)
    func validStringsDecode(text: String, hrp: String) throws {
        let decoded = try #require(Bech32.decode(text))
        #expect(decoded.hrp == hrp)
        // Re-encoding gives the same string (in lowercase).
        #expect(Bech32.encode(hrp: decoded.hrp, data: decoded.data) == text.lowercased())
    }

    @Test func knownDataDecodes() throws {
        // The data part "qpzry9x8gf2tvdw0s3jn54khce6mua7l" is the 32 five-bit values 0...31 in order.
        let decoded = try #require(Bech32.decode("abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw"))
        var bits = ""
        for value in 0..<32 {
            let binary = String(value, radix: 2)
            bits += String(repeating: "0", count: 5 - binary.count) + binary
        }
        let expected = stride(from: 0, to: 160, by: 8).map { UInt8(String(Array(bits)[$0..<($0 + 8)]), radix: 2)! }
        #expect(decoded.data == expected)
        #expect(decoded.data.count == 20)
        let empty = try #require(Bech32.decode("A12UEL5L"))
        #expect(empty.data == [])
        let zeros = try #require(Bech32.decode(Bech32Tests.valid[4].0))
        #expect(zeros.data.allSatisfy { $0 == 0 } && zeros.data.count == 51)
    }

    /// BIP 173 invalid strings, with the reason. (The 84-character-HRP "overall max length
    /// exceeded" vector is left out: age's Bech32, like this one, has no length limit.)
    static let invalid: [(String, String)] = [
        ("\u{20}1nwldj5", "HRP character out of range"),
        ("\u{7F}1axkwrx", "HRP character out of range"),
        ("\u{80}1eym55h", "HRP character out of range"),
        ("pzry9x0s0muk", "no separator character"),
        ("1pzry9x0s0muk", "empty HRP"),
        ("x1b4n0q5v", "invalid data character"),
        ("li1dgmt3", "too short checksum"),
        ("de1lg7wt\u{FF}", "invalid character in checksum"),
        ("A1G7SGD8", "checksum calculated with uppercase form of HRP"),
        ("10a06t8", "empty HRP"),
        ("1qzzfhee", "empty HRP"),
        // Additional: mixed case, and single-character checksum damage.
        ("A12uEL5L", "mixed case"),
        ("a12UEL5L", "mixed case"),
        ("a12uel5m", "bad checksum"),
        ("abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxx", "bad checksum"),
        ("abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxb", "bad character b"),
        ("abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqq", "checksum truncated"),
        ("", "empty"),
    ]

    @Test(arguments: invalid)
    func invalidStringsAreRejected(text: String, reason: String) {
        #expect(Bech32.decode(text) == nil, "\(reason)")
    }

    @Test func everySingleCharacterChangeIsDetected() throws {
        // Bech32 detects any single substitution.
        let text = "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw"
        let charset = Array("qpzry9x8gf2tvdw0s3jn54khce6mua7l")
        var characters = Array(text)
        for index in 7..<characters.count {
            let original = characters[index]
            for replacement in charset where replacement != original {
                characters[index] = replacement
                #expect(Bech32.decode(String(characters)) == nil, "position \(index) -> \(replacement)")
            }
            characters[index] = original
        }
        #expect(Bech32.decode(String(characters)) != nil)
    }

    @Test func encodeDecodeRoundTrip() throws {
        var generator = SeededGenerator(seed: 173)
        for length in 0..<50 {
            let data = generator.bytes(length)
            let text = Bech32.encode(hrp: "age", data: data)
            #expect(text == text.lowercased())
            let decoded = try #require(Bech32.decode(text))
            #expect(decoded.hrp == "age")
            #expect(decoded.data == data)
            let upper = try #require(Bech32.decode(text.uppercased()))
            #expect(upper.hrp == "AGE")
            #expect(upper.data == data)
        }
    }
}

@Suite struct AgeKeyTests {
    /// The identity used by the C2SP CCTV age vectors; its recipient from `age-keygen -y`.
    static let cctvIdentity = "AGE-SECRET-KEY-1EGTZVFFV20835NWYV6270LXYVK2VKNX2MMDKWYKLMGR48UAWX40Q2P2LM0"
    static let cctvRecipient = "age1xmwwc06ly3ee5rytxm9mflaz2u56jjj36s0mypdrwsvlul66mv4q47ryef"

    @Test func cctvIdentityRoundTrips() throws {
        let identity = try X25519Identity(Self.cctvIdentity)
        #expect(identity.secretKeyString == Self.cctvIdentity)
        #expect(identity.recipient.description == Self.cctvRecipient)
        let recipient = try X25519Recipient(Self.cctvRecipient)
        #expect(recipient.description == Self.cctvRecipient)
        #expect(recipient == identity.recipient)
        #expect(recipient.publicKey.count == 32)
        #expect(try X25519Identity(identity.secretKeyString).secretKeyString == Self.cctvIdentity)
        // Whitespace is not trimmed by the key parsers.
        #expect(throws: AgeError.self) { try X25519Identity(Self.cctvIdentity + "\n") }
        #expect(throws: AgeError.self) { try X25519Recipient(" " + Self.cctvRecipient) }
    }

    static func invalidKey(_ body: () throws(AgeError) -> Void) -> Bool {
        failureKind(body) == .invalidKey
    }

    @Test func malformedKeysAreInvalidKey() throws {
        let identity = Self.cctvIdentity
        let recipient = Self.cctvRecipient
        var badChecksumIdentity = Array(identity)
        badChecksumIdentity[badChecksumIdentity.count - 1] = badChecksumIdentity.last == "Q" ? "P" : "Q"
        var badChecksumRecipient = Array(recipient)
        badChecksumRecipient[badChecksumRecipient.count - 1] = badChecksumRecipient.last == "q" ? "p" : "q"
        let identities = [
            identity.lowercased(),  // identities are uppercase
            String(badChecksumIdentity),
            Bech32.encode(hrp: "AGE-SECRET-KEY-", data: [UInt8](repeating: 7, count: 31)).uppercased(),  // 31 bytes
            Bech32.encode(hrp: "AGE-SECRET-KEY-", data: [UInt8](repeating: 7, count: 33)).uppercased(),  // 33 bytes
            Bech32.encode(hrp: "AGE-SECRET-KEY-PQ-", data: [UInt8](repeating: 7, count: 32)).uppercased(),  // wrong HRP
            Bech32.encode(hrp: "AGE-SECRET-KEY", data: [UInt8](repeating: 7, count: 32)).uppercased(),  // wrong HRP
            recipient, recipient.uppercased(),  // a recipient is not an identity
            "", "AGE-SECRET-KEY-1", "garbage",
        ]
        for text in identities {
            #expect(Self.invalidKey { () throws(AgeError) in _ = try X25519Identity(text) }, "identity \(text)")
        }
        let recipients = [
            recipient.uppercased(),  // recipients are lowercase
            String(badChecksumRecipient),
            Bech32.encode(hrp: "age", data: [UInt8](repeating: 7, count: 31)),
            Bech32.encode(hrp: "age", data: [UInt8](repeating: 7, count: 33)),
            Bech32.encode(hrp: "agf", data: [UInt8](repeating: 7, count: 32)),  // wrong HRP
            Bech32.encode(hrp: "age1pq", data: [UInt8](repeating: 7, count: 32)),
            identity, identity.lowercased(),  // an identity is not a recipient
            "", "age1", "ssh-ed25519 AAAA",
        ]
        for text in recipients {
            #expect(Self.invalidKey { () throws(AgeError) in _ = try X25519Recipient(text) }, "recipient \(text)")
        }
        // The well-formed controls parse.
        _ = try X25519Identity(
            Bech32.encode(hrp: "AGE-SECRET-KEY-", data: [UInt8](repeating: 7, count: 32)).uppercased())
        _ = try X25519Recipient(Bech32.encode(hrp: "age", data: [UInt8](repeating: 7, count: 32)))
    }

    /// The points of small order on Curve25519 (0, 1, the two of order 8, p - 1, p, p + 1),
    /// each also with bit 255 set, which X25519 masks off: a file sealed for one opens for
    /// nobody, so the key is refused where it is written, not when the first secret is
    /// sealed for it.
    @Test func lowOrderPointsAreRefusedAsRecipients() throws {
        let canonical = [
            "0000000000000000000000000000000000000000000000000000000000000000",
            "0100000000000000000000000000000000000000000000000000000000000000",
            "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
            "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
            "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
            "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
            "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        ]
        let highBit = canonical.map { hex in
            let last = UInt8(hex.suffix(2), radix: 16)! | 0x80
            return String(hex.dropLast(2)) + String(last, radix: 16)
        }
        let points = canonical + highBit
        for hex in points {
            let bytes = stride(from: 0, to: hex.count, by: 2).map { offset -> UInt8 in
                let start = hex.index(hex.startIndex, offsetBy: offset)
                return UInt8(hex[start..<hex.index(start, offsetBy: 2)], radix: 16)!
            }
            let text = Bech32.encode(hrp: "age", data: bytes)
            #expect(Self.invalidKey { () throws(AgeError) in _ = try X25519Recipient(text) }, "\(hex)")
            #expect(X25519Recipient.problem(with: text).contains("is a low-order point"), "\(hex)")
        }
        // Every key an identity gives is of full order.
        for seed in UInt8(1)...UInt8(20) {
            let identity = try X25519Identity(
                Bech32.encode(hrp: "AGE-SECRET-KEY-", data: [UInt8](repeating: seed, count: 32)).uppercased())
            #expect(try X25519Recipient(identity.recipient.description) == identity.recipient)
        }
    }

    @Test func errorsNeverEchoASecretKey() {
        // An identity pasted where a recipient belongs must not be repeated into logs.
        let secret = Self.cctvIdentity
        for text in [secret, secret.lowercased(), " " + secret, secret + "x"] {
            let error = #expect(throws: AgeError.self) { try X25519Recipient(text) }
            #expect(error.map { !$0.description.uppercased().contains(secret) } == true, "\(String(describing: error))")
        }
        let error = #expect(throws: AgeError.self) { try X25519Identity(secret + "x") }
        #expect(error.map { !$0.description.uppercased().contains(secret) } == true)
    }

    @Test func describingAnIdentityDoesNotRevealTheSecret() {
        // The secret is only reachable through `secretKeyString`, never by printing the value.
        let identity = X25519Identity.generate(random: AgeFixtures.fixed(0xAB))
        for text in [String(describing: identity), String(reflecting: identity), "\(identity)"] {
            #expect(!text.contains(identity.secretKeyString))
            #expect(!text.contains("171, 171, 171"))  // the raw secret bytes, 0xAB
        }
        var dumped = ""
        dump(identity, to: &dumped)
        #expect(!dumped.contains(identity.secretKeyString) && !dumped.contains("171"))
    }

    @Test func generateIsDeterministicWithFixedBytes() throws {
        let a = X25519Identity.generate(random: AgeFixtures.fixed(0x11))
        let b = X25519Identity.generate(random: AgeFixtures.fixed(0x11))
        let c = X25519Identity.generate(random: AgeFixtures.fixed(0x12))
        #expect(a.secretKeyString == b.secretKeyString)
        #expect(a.recipient == b.recipient)
        #expect(a.secretKeyString != c.secretKeyString)
        #expect(a.recipient != c.recipient)
        // The secret key is exactly the random bytes.
        let decoded = try #require(Bech32.decode(a.secretKeyString))
        #expect(decoded.hrp == "AGE-SECRET-KEY-")
        #expect(decoded.data == [UInt8](repeating: 0x11, count: 32))
        #expect(a.secretKeyString.hasPrefix("AGE-SECRET-KEY-1"))
        #expect(a.secretKeyString == a.secretKeyString.uppercased())
        #expect(a.recipient.description.hasPrefix("age1"))
        #expect(a.recipient.description.count == 62)
        #expect(a.secretKeyString.count == 74)
        // The system CSPRNG gives different keys.
        #expect(X25519Identity.generate().secretKeyString != X25519Identity.generate().secretKeyString)
    }
}

@Suite struct IdentityFileTests {
    static let first = AgeFixtures.identity(seed: 200)
    static let second = AgeFixtures.identity(seed: 201)

    @Test func parsesAgeKeygenOutput() throws {
        let text = """
            # created: 2024-01-01T00:00:00Z
            # public key: \(Self.first.recipient)
            \(Self.first.secretKeyString)

            """
        let identities = try IdentityFile.parse(text)
        #expect(identities.map(\.secretKeyString) == [Self.first.secretKeyString])
    }

    @Test func skipsCommentsBlankLinesAndHandlesSeveralKeys() throws {
        let text =
            "\n# one\n\(Self.first.secretKeyString)\n\n   \n\t# indented comment\n  "
            + "\(Self.second.secretKeyString)\t\n#last"
        let identities = try IdentityFile.parse(text)
        #expect(identities.map(\.secretKeyString) == [Self.first.secretKeyString, Self.second.secretKeyString])
        // No trailing newline.
        #expect(try IdentityFile.parse(Self.first.secretKeyString).count == 1)
    }

    @Test func acceptsCRLF() throws {
        let text =
            "# created: x\r\n# public key: "
            + "\(Self.first.recipient)\r\n\(Self.first.secretKeyString)\r\n\r\n\(Self.second.secretKeyString)\r\n"
        let identities = try IdentityFile.parse(text)
        #expect(identities.map(\.secretKeyString) == [Self.first.secretKeyString, Self.second.secretKeyString])
    }

    @Test func rejectsGarbageLinesNamingTheLine() throws {
        let lowercased = Self.first.secretKeyString.lowercased()
        let cases: [(String, Int, String)] = [
            ("# comment\n\(Self.first.secretKeyString)\nnot a key\n", 3, "not a key"),
            ("garbage", 1, "garbage"),
            ("\n\n\n\(lowercased)", 4, lowercased),
            ("# c\r\n\r\n\(Self.first.recipient)\r\n", 3, Self.first.recipient.description),
            ("\(Self.first.secretKeyString) extra\n", 1, Self.first.secretKeyString),
            ("\(Self.first.secretKeyString)\r\n\(Self.second.secretKeyString)x\r\n", 2, Self.second.secretKeyString),
        ]
        for (text, line, content) in cases {
            let error = #expect(throws: AgeError.self) { try IdentityFile.parse(text) }
            guard case .invalidKey(let message) = error else {
                Issue.record("expected .invalidKey for \(text.debugDescription), got \(String(describing: error))")
                continue
            }
            #expect(message.contains("line \(line):"), "\(message)")
            // The message must not echo the line, which may be (damaged) secret material.
            #expect(!message.contains(content))
        }
    }

    @Test func rejectsFilesWithoutKeys() {
        for text in ["", "\n", "# only a comment\n", "   \n\t\n", "# created: x\n# public key: age1xyz\n"] {
            let error = #expect(throws: AgeError.self) { try IdentityFile.parse(text) }
            #expect(error.map { AgeErrorKind($0) } == .invalidKey, "\(text.debugDescription)")
        }
    }

    @Test func renderMatchesAgeKeygenFormat() throws {
        let identity = X25519Identity.generate(random: AgeFixtures.fixed(0x21))
        let rendered = IdentityFile.render(identity, created: "2024-05-06T07:08:09Z")
        #expect(
            rendered
                == "# created: 2024-05-06T07:08:09Z\n# public key: \(identity.recipient)\n\(identity.secretKeyString)\n"
        )
        #expect(rendered.hasSuffix("\n") && !rendered.hasSuffix("\n\n"))
        let lines = rendered.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[1].hasPrefix("# public key: age1"))
        #expect(lines[2].hasPrefix("AGE-SECRET-KEY-1"))
        // And it parses back.
        let parsed = try IdentityFile.parse(rendered)
        #expect(parsed.map(\.secretKeyString) == [identity.secretKeyString])
    }
}
