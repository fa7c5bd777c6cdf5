import Foundation
import StrictJSON

/// What the manifests ask for: the first typed stage of the pipeline, before anything
/// is compared with the state.
public struct Desired: Sendable {
    public var account: String
    public var accountLocation: SourceLocation
    public var settings: Settings
    public var users: [DesiredUser]
    public var credentials: [DesiredCredential]
    /// `policy:`: the organisation's guardrails.
    public var guardrails: Guardrails = Guardrails()
    /// The manifest files read, in order.
    public var files: [String]

    public init(
        account: String, accountLocation: SourceLocation, settings: Settings = Settings(),
        users: [DesiredUser], credentials: [DesiredCredential], files: [String] = []
    ) {
        self.account = account
        self.accountLocation = accountLocation
        self.settings = settings
        self.users = users
        self.credentials = credentials
        self.files = files
    }

    /// SHA-256 of the manifests' meaning, not their text: file names, order, comments
    /// and formatting do not change it; any value does. Saved plans bind to it.
    ///
    /// It hashes compact JSON: `{"account", "credentials", "settings", "users"}` with
    /// every entry's keys in a fixed order (sorted, but a user's `license` comes before
    /// its `id`) and the entries sorted by their bytes.
    public var digest: String {
        var users = CanonicalEntries(capacity: self.users.count)
        for user in self.users {
            var fields: [(String, String)] = [("ensure", user.user == nil ? "absent" : "present"), ("id", user.id)]
            if let declared = user.user {
                fields.insert(("license", declared.license.rawValue), at: 1)
                fields.append(("name", declared.name))
            }
            // After `id` and before `name`, so manifests without logins keep their digest.
            if let login = user.login {
                fields.insert(("login", login), at: fields.firstIndex { $0.0 == "name" } ?? fields.count)
            }
            // Last, and only when declared, so manifests without recipients keep their digest.
            if !user.recipients.isEmpty { fields.append(("recipients", user.recipients.joined(separator: ","))) }
            // Last of all, and only when declared, likewise.
            if let email = user.user?.email { fields.append(("email", email)) }
            users.append(fields, scopes: nil)
        }
        var credentials = CanonicalEntries(capacity: self.credentials.count)
        for credential in self.credentials {
            var fields: [(String, String)] = []
            if let clientId = credential.clientId { fields.append(("clientId", clientId)) }
            if let description = credential.description { fields.append(("description", description)) }
            fields.append(("ensure", credential.ensure.rawValue))
            // Rotation and expiry only when declared, so manifests without them keep their digest.
            if let expires = credential.expires { fields.append(("expires", expires.text)) }
            fields.append(("level", credential.spec.level.rawValue))
            fields.append(("name", credential.spec.name))
            if let owner = credential.spec.owner { fields.append(("owner", owner)) }
            switch credential.recipients {
            case .owner: break
            case .only(let keys): fields.append(("recipients", keys.joined(separator: ",")))
            case .ownerAnd(let keys): fields.insert(("additionalRecipients", keys.joined(separator: ",")), at: 0)
            }
            if let rotate = credential.rotate { fields.append(("rotate", "\(rotate.every)/\(rotate.overlap)")) }
            credentials.append(fields, scopes: credential.spec.scopes)
        }
        var text = JSONStreamWriter(style: .compact, capacity: users.bytes.count + credentials.bytes.count + 256)
        text.beginObject()
        text.field("account", account)
        text.key("credentials")
        credentials.writeSorted(to: &text)
        // Only when declared, so manifests without guardrails keep their digest.
        if !guardrails.isEmpty {
            text.key("policy")
            text.beginObject()
            text.key("forbidScopes")
            text.beginArray()
            for forbidden in guardrails.forbidScopes.sorted(by: { $0.scope < $1.scope }) {
                text.element()
                text.beginObject()
                text.key("except")
                text.strings(forbidden.except.sorted())
                text.field("scope", forbidden.scope.rawValue)
                text.endObject()
            }
            text.endArray()
            if let limit = guardrails.maxCredentialsPerUser { text.field("maxCredentialsPerUser", limit.value) }
            if let pattern = guardrails.namePattern { text.field("namePattern", pattern.pattern) }
            text.key("requireDescription")
            text.bool(guardrails.requireDescription != nil)
            text.endObject()
        }
        text.key("settings")
        text.beginObject()
        if let warning = settings.expiryWarning { text.field("expiryWarning", warning.description) }
        text.field("maxDeletes", settings.maxDeletes)
        text.key("prune")
        text.bool(settings.prune)
        text.key("recipients")
        text.strings(settings.recipients.sorted())
        // Where a refreshing plan read VCC's users: only when declared, as above.
        if let region = settings.region { text.field("region", region.rawValue) }
        if let rotate = settings.rotate { text.field("rotate", "\(rotate.every)/\(rotate.overlap)") }
        if let sensitive = settings.sensitiveScopes {
            text.key("sensitiveScopes")
            text.strings(sensitive.identifiers)
        }
        text.endObject()
        text.key("users")
        users.writeSorted(to: &text)
        text.endObject()
        return Digest.sha256Hex(text.finish())
    }
}
