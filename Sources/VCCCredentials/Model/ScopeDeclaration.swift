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

    /// Why a label or an API description is unusable, or nil: empty, too long, or
    /// holding a control or invisible character (it is printed in plans and runbooks).
    public static func textProblem(_ text: String, what: String) -> String? {
        if let problem = Identifiers.nameProblem(text, what: what) { return problem }
        if text.count > maxTextLength { return "\(what) is longer than \(maxTextLength) characters" }
        if let scalar = text.unicodeScalars.first(where: Identifiers.isInvisible) {
            return "\(what) contains an invisible or blank character (\(Printable.codePoint(scalar)))"
        }
        return nil
    }

    /// Why a declaration is unusable, or nil; what the manifests and the state both check
    /// (the identifier is checked where it is read).
    public var problem: String? {
        if let problem = Self.textProblem(label, what: "label") { return problem }
        guard (1...Self.maxUnlocks).contains(unlocks.count) else {
            return "unlocks lists 1 to \(Self.maxUnlocks) APIs"
        }
        for text in unlocks {
            if let problem = Self.textProblem(text, what: "unlocks entry") { return problem }
        }
        guard !licenses.isEmpty else { return "licenses is empty: give admin, supervisor or both" }
        for (index, license) in licenses.enumerated() {
            guard LicenseCapabilities.hasAPIAccess(license) else {
                return "licenses lists \(license.rawValue), which has no API access: only admin and supervisor "
                    + "may grant a scope"
            }
            if licenses[..<index].contains(license) { return "licenses lists \(license.rawValue) twice" }
        }
        return nil
    }
}
