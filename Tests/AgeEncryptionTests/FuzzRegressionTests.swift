import AgeEncryption
import Foundation
import Testing

// Inputs from the libFuzzer runs of `scripts/fuzz age` (CONTRIBUTING.md "Fuzzing"), fed
// through the public API as Fuzz/AgeFuzzer does, with its identity (the C2SP CCTV vectors' X25519
// identity, public key age1xmwwc06ly3ee5rytxm9mflaz2u56jjj36s0mypdrwsvlul66mv4q47ryef).
// No run has crashed the decoder; these are corpus inputs that got deepest before failing.
// Every crash a future run finds is added here with its exact bytes.

@Suite struct AgeFuzzRegressionTests {
    static let identity: X25519Identity = {
        guard
            let identity = try? X25519Identity(
                "AGE-SECRET-KEY-1EGTZVFFV20835NWYV6270LXYVK2VKNX2MMDKWYKLMGR48UAWX40Q2P2LM0")
        else { preconditionFailure("the fuzz identity does not parse") }
        return identity
    }()

    static func bytes(_ base64: String) -> [UInt8] {
        guard let data = Data(base64Encoded: base64, options: .ignoreUnknownCharacters) else {
            preconditionFailure("bad base64 in a fuzz input")
        }
        return [UInt8](data)
    }

    /// The error `Age.decrypt` throws for `file`, which must not open.
    static func error(_ file: [UInt8], sourceLocation: Testing.SourceLocation = #_sourceLocation) -> AgeError? {
        do {
            let plaintext = try Age.decrypt(file, identities: [identity])
            Issue.record("opened, to \(plaintext.count) bytes", sourceLocation: sourceLocation)
            return nil
        } catch {
            return error
        }
    }

    /// The CCTV x25519 vector cut right after the payload nonce: the header and its MAC
    /// verify, and there is no chunk at all. Nothing is released.
    @Test func aPayloadOfOnlyTheNonce() {
        let file = Self.bytes(
            """
            YWdlLWVuY3J5cHRpb24ub3JnL3YxCi0+IFgyNTUxOSBURWlGMHlwcXIrYnB2Y3FYTnlDVkpwTDdPdXdQZFZ3UEw3S1FFYkZE
            T0NjCmhqYWJHWHdTTFE5YzNTNkx3MmkrUzJUdTJmaXdRSEhzbGJCTjZCNDFGTEUKLS0tIFd5SnA5Ri85Rk9aaDdnSmRoZXEy
            V0lKY3dIZ1ljOE5JVmgzZGR3aHJjTmcK7gEAAAPPYsfOkbQzJ05o1A==
            """)
        #expect(Self.error(file) == .payload("the final chunk is missing"))
        var released = 0
        #expect(throws: AgeError.self) {
            try Age.decrypt(binary: file, identities: [Self.identity]) { released += $0.count }
        }
        #expect(released == 0)
    }

    /// A recipient stanza whose share is a low-order X25519 point (not the CCTV one):
    /// refused before any key agreement result is used.
    @Test func aLowOrderShareFoundByTheFuzzer() {
        let file = Self.bytes(
            """
            YWdlLWVuY3J5cHRpb24ub3JnL3YxCi0+IFgyNTUxOSBYNXlWdktOUWpDU3gwTEZWbklQdld3UkVYTVJZSEk2RzJDSk8zZENm
            RWRjCjNFME5wRmFucy9tMFdMV0Y3KzU0WkJkTmozaXFRcXByYUdERmlhUmt2QkEKLS0tIHNYdzMyN1lNVDEvVUxYZStaeXlN
            Yk1ZMFoyam5XSEdnSTlqMXNlNnlROEEKrF0/NwblUCBGivPOfA==
            """)
        #expect(Self.error(file) == .header("X25519 share is a low-order point"))
    }

    /// Armor whose short second line is followed by another line (CRLF line ends mixed in).
    @Test func armorWithDataAfterItsShortLine() {
        let file = Self.bytes("LS0tLS1CRUdJTiBBR0UgRU5DUllQVEVEIEZJTEUtLS0tLQ0KWVdkbFZrWjMKZC0NCg==")
        #expect(Armor.isArmored(file))
        #expect(Self.error(file) == .armor("data after the last (short) line"))
        #expect(throws: AgeError.armor("data after the last (short) line")) { try Armor.decode(file) }
    }
}
