/// What a scope is: its identifier, the portal's label for it, the API access it gives,
/// which licences may grant (and hold) it, and whether granting it is sensitive unless
/// `settings.sensitiveScopes` says otherwise. VCC's own scopes are declared once, in
/// ``ScopeCatalogue/builtIn``; a scope VCC adds after a release is declared in the
/// manifests' `settings.scopes`, and the state keeps the declaration of each it uses.
public struct ScopeDeclaration: Sendable, Hashable {
    public var id: String
    public var label: String
    /// "Payment API (secure payment sessions)": an API and the access to it.
    public var unlocks: [String]
    /// The licences that may grant it; always among those with API access.
    public var licenses: [License]
    public var sensitive: Bool

    public init(id: String, label: String, unlocks: [String], licenses: [License], sensitive: Bool) {
        self.id = id
        self.label = label
        self.unlocks = unlocks
        self.licenses = licenses
        self.sensitive = sensitive
    }

    /// Most scopes the manifests may declare.
    public static let maxDeclared = 32
    /// Longest identifier, label and API description.
    public static let maxIdentifierLength = 64
    public static let maxTextLength = 200
    /// Most `unlocks` entries.
    public static let maxUnlocks = 16
    /// A scope identifier as VCC spells them: lowercase words joined by `-`, with an
    /// optional `:action` (`users:read`, `globalpci`). Checked without a regular
    /// expression, in one pass over at most ``maxIdentifierLength`` characters.
    public static let identifierPattern = "^[a-z][a-z0-9-]*(:[a-z][a-z0-9-]*)?$"

    /// Why `text` cannot be a scope identifier, or nil.
    public static func identifierProblem(_ text: String) -> String? {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.count <= maxIdentifierLength else {
            return "is not a scope identifier (1 to \(maxIdentifierLength) characters)"
        }
        var atWordStart = true
        var colons = 0
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"):
                atWordStart = false
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"):
                if atWordStart { return "is not a scope identifier: each part starts with a letter" }
            case UInt8(ascii: ":"):
                colons += 1
                if colons > 1 || atWordStart { return "is not a scope identifier: at most one ':' between words" }
                atWordStart = true
            default:
                return "is not a scope identifier: lowercase letters, digits, '-' and one ':' (like users:read)"
            }
        }
        if atWordStart { return "is not a scope identifier: it ends with ':'" }
        return nil
    }
}
