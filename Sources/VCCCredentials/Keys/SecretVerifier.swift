import Crypto

/// `verify`: does a secret someone holds belong to a credential in the state? The
/// SHA-256 digests are compared in constant time.
public enum SecretVerifier {
    /// Longest stdin read: a secret is 40 characters, so this is room for any line
    /// ending and far short of a stream that never ends.
    public static let maxInputBytes = 4096

    /// The secret as read from stdin, without one trailing line break.
    public static func secret(fromInput bytes: [UInt8]) -> [UInt8] {
        var secret = bytes
        if secret.last == UInt8(ascii: "\n") { secret.removeLast() }
        if secret.last == UInt8(ascii: "\r") { secret.removeLast() }
        return secret
    }

    /// What the state says of a presented secret.
    public enum Outcome: Sendable, Equatable {
        case matches
        case differs
        /// The state holds no digest for the credential (adopted by `import`): nothing
        /// to compare with.
        case secretNotHeld
    }

    public static func check(_ secret: [UInt8], clientId: String, in state: State, statePath: String) throws -> Outcome
    {
        guard let credential = state.credentials.first(where: { $0.clientId == clientId.lowercased() }) else {
            throw KeyError.unknownClientId(clientId, statePath: statePath)
        }
        guard let digest = credential.secretSha256 else { return .secretNotHeld }
        let presented = Array(SHA256.hash(data: secret))
        let stored = hexBytes(digest)
        guard stored.count == presented.count else { return .differs }
        var difference: UInt8 = 0
        for index in 0..<presented.count { difference |= presented[index] ^ stored[index] }
        return difference == 0 ? .matches : .differs
    }

    private static func hexBytes(_ hex: String) -> [UInt8] {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else { return [] }
        func value(_ digit: UInt8) -> UInt8 {
            digit <= UInt8(ascii: "9") ? digit - UInt8(ascii: "0") : digit - UInt8(ascii: "a") + 10
        }
        return stride(from: 0, to: digits.count, by: 2).map { value(digits[$0]) << 4 | value(digits[$0 + 1]) }
    }
}
