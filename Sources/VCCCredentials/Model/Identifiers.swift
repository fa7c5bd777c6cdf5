import Foundation

/// Shape checks for identifiers that appear in files: client IDs, lineages, user ids.
public enum Identifiers {
    /// A lowercase hyphenated UUID (8-4-4-4-12 hex digits).
    public static func isLowercaseUUID(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            guard bytes.count == 36 else { return false }
            for position in 0..<36 {
                switch position {
                case 8, 13, 18, 23:
                    if bytes[position] != UInt8(ascii: "-") { return false }
                default:
                    if !isLowercaseHex(bytes[position]) { return false }
                }
            }
            return true
        }
    }

    static func isLowercaseHex(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f"))
    }

    /// A lowercase hex SHA-256 digest.
    public static func isSHA256Hex(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in bytes.count == 64 && bytes.allSatisfy(isLowercaseHex) }
    }

    /// Why a user id (a login) is unusable, or nil. Ids appear in change ids and
    /// `owner/name` addresses, so no whitespace, control characters or `/`.
    public static func userIdProblem(_ text: String) -> String? {
        if text.isEmpty { return "user id is empty" }
        // Fast path: printable ASCII without '/' (every login in practice).
        if text.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "/") }) { return nil }
        for scalar in text.unicodeScalars {
            if scalar.properties.isWhitespace || isControl(scalar) {
                return "user id \(Quoted.of(text)) contains whitespace or a control character"
            }
            // Invisible format characters (zero-width space, byte order mark, direction
            // marks) would let two logins look the same.
            if scalar.properties.generalCategory == .format {
                return "user id \(Quoted.of(text)) contains an invisible character (U+\(String(scalar.value, radix: 16, uppercase: true)))"
            }
            if scalar == "/" { return "user id \(Quoted.of(text)) contains '/'" }
        }
        return nil
    }

    /// Why a credential or account name is unusable, or nil.
    public static func nameProblem(_ text: String, what: String) -> String? {
        // Fast path: printable ASCII with something besides spaces.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) && text.utf8.contains(where: { $0 != 0x20 }) {
            return nil
        }
        if text.trimmingCharacters(in: .whitespaces).isEmpty { return "\(what) is empty" }
        if text.unicodeScalars.contains(where: isControl) {
            return "\(what) contains a control character or line separator"
        }
        return nil
    }

    /// C0 and C1 control characters, DEL, and the Unicode line and paragraph separators:
    /// nothing a name or login needs, and each breaks some text format it travels through.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00..<0x20, 0x7F...0x9F, 0x2028, 0x2029: return true
        default: return false
        }
    }
}
