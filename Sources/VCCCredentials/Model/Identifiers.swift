import Foundation

/// Shape checks for identifiers that appear in files: client IDs, lineages, user ids.
public enum Identifiers {
    /// A lowercase hyphenated UUID (8-4-4-4-12 hex digits). Checked on the UTF-8 bytes,
    /// without allocating: see ``Timestamp/init(_:)`` for what it paid.
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
        (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
            || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f"))
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
        // Fast path: printable ASCII without '/' (every login in practice), checked for
        // every owner of every credential.
        if text.utf8.allSatisfy({ isVisibleASCII($0) && $0 != UInt8(ascii: "/") }) { return nil }
        for scalar in text.unicodeScalars {
            if scalar.properties.isWhitespace || isControl(scalar) {
                return "user id \(Quoted.of(text)) contains whitespace or a control character"
            }
            if let problem = invisibleProblem(scalar, in: text, what: "user id") { return problem }
            if scalar == "/" { return "user id \(Quoted.of(text)) contains '/'" }
        }
        return nil
    }

    /// Why an email address is unusable, or nil: one `@` between something and
    /// something, at most 320 characters, nothing blank or invisible. VCC checks the rest.
    public static func emailProblem(_ text: String) -> String? {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard text.utf8.count <= 320, parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            return "email \(Quoted.of(text)) is not an email address (local@domain, at most 320 characters)"
        }
        for scalar in text.unicodeScalars where scalar.properties.isWhitespace || isControl(scalar) {
            return "email \(Quoted.of(text)) contains whitespace or a control character"
        }
        for scalar in text.unicodeScalars {
            if let problem = invisibleProblem(scalar, in: text, what: "email") { return problem }
        }
        return nil
    }

    /// Why a VCC user id is unusable, or nil: 1 to 128 letters, digits, `-`, `_` or `.`
    /// (VCC's are GUIDs).
    public static func vccUserIdProblem(_ text: String) -> String? {
        if text.utf8.allSatisfy(isNameByte) && (1...128).contains(text.utf8.count) { return nil }
        return "vccUserId \(Quoted.of(text)) is not a VCC user id (1 to 128 letters, digits, '-', '_' or '.')"
    }

    /// Longest account id.
    public static let maxAccountIdLength = 64

    /// Why an account id is unusable, or nil. It names files (`secrets/ACCOUNT-SERIAL.age`),
    /// so it is kept to characters that are safe in a file name and cannot walk out of a
    /// folder: letters, digits, `.`, `_` and `-`, starting with a letter or digit.
    public static func accountIdProblem(_ text: String, what: String = "account id") -> String? {
        if text.isEmpty { return "\(what) is empty" }
        let bytes = text.utf8
        if bytes.allSatisfy(isNameByte), bytes.count <= maxAccountIdLength, let first = bytes.first,
            isAlphanumericASCII(first)
        {
            return nil
        }
        return
            "\(what) \(Quoted.of(text)) must be 1 to \(maxAccountIdLength) letters, digits, '.', '_' or '-', "
            + "starting with a letter or digit (it names files)"
    }

    /// Why a credential name is unusable, or nil: a name a reviewer reads in a plan, so
    /// nothing invisible or blank that could hide in it (ASCII spaces are fine).
    public static func credentialNameProblem(_ text: String) -> String? {
        if let problem = nameProblem(text, what: "credential name") { return problem }
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return nil }
        for scalar in text.unicodeScalars {
            if let problem = invisibleProblem(scalar, in: text, what: "credential name") { return problem }
        }
        return nil
    }

    /// Why a forge login (`users[].login`) is unusable, or nil: GitHub and GitLab logins
    /// are ASCII letters, digits, `.`, `_` and `-`, so nothing else can name an approver.
    public static func loginProblem(_ text: String) -> String? {
        if text.isEmpty { return "login is empty" }
        guard text.utf8.count <= 255 else { return "login is longer than 255 characters" }
        return text.utf8.allSatisfy(isNameByte)
            ? nil : "login \(Quoted.of(text)) may hold only ASCII letters, digits, '.', '_' and '-'"
    }

    /// Why a display name (a user's full name) is unusable, or nil. Free text in any
    /// script, so invisible characters (a Persian name's zero-width non-joiner, a
    /// no-break space) are allowed; they are shown escaped wherever a person reads them.
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

    /// Characters that are there but not seen, or seen as a blank: zero-width
    /// characters, direction overrides and isolates, byte order marks (format, Cf); the
    /// other default-ignorables (combining grapheme joiner, variation selectors, Hangul
    /// fillers); spaces other than the ASCII one; the blank Braille pattern; private-use
    /// and unassigned code points. `crm\u{200B}-sync` reads as `crm-sync`,
    /// `alice\u{3164}` as `alice`.
    static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        guard scalar.value >= 0x80 else { return false }
        let properties = scalar.properties
        switch properties.generalCategory {
        case .format, .privateUse, .unassigned, .spaceSeparator, .lineSeparator, .paragraphSeparator, .control:
            return true
        default:
            return properties.isDefaultIgnorableCodePoint || scalar.value == 0x2800
        }
    }

    private static func invisibleProblem(_ scalar: Unicode.Scalar, in text: String, what: String) -> String? {
        guard isInvisible(scalar) else { return nil }
        return "\(what) \(Quoted.of(text)) contains an invisible or blank character (\(Printable.codePoint(scalar)))"
    }

    /// Visible ASCII, `!` to `~`: no space, no control. What a client ID, a secret and a
    /// bearer token are made of, and every login in practice.
    static func isVisibleASCII(_ byte: UInt8) -> Bool { byte > 0x20 && byte < 0x7F }

    static func isAlphanumericASCII(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }

    /// An ASCII letter, digit, `.`, `_` or `-`: safe in a file name, and all that forge
    /// logins and VCC's user ids are made of.
    static func isNameByte(_ byte: UInt8) -> Bool {
        isAlphanumericASCII(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_")
            || byte == UInt8(ascii: "-")
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
