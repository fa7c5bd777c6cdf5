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
            users.append(fields, scopes: nil)
        }
        var credentials = CanonicalEntries(capacity: self.credentials.count)
        for credential in self.credentials {
            var fields: [(String, String)] = []
            if let clientId = credential.clientId { fields.append(("clientId", clientId)) }
            fields.append(("ensure", credential.ensure.rawValue))
            fields.append(("level", credential.spec.level.rawValue))
            fields.append(("name", credential.spec.name))
            if let owner = credential.spec.owner { fields.append(("owner", owner)) }
            credentials.append(fields, scopes: credential.spec.scopes)
        }
        var text = JSONStreamWriter(style: .compact, capacity: users.bytes.count + credentials.bytes.count + 256)
        text.beginObject()
        text.field("account", account)
        text.key("credentials")
        credentials.writeSorted(to: &text)
        text.key("settings")
        text.beginObject()
        text.field("maxDeletes", settings.maxDeletes)
        text.key("prune")
        text.bool(settings.prune)
        text.key("recipients")
        text.strings(settings.recipients.sorted())
        text.endObject()
        text.key("users")
        users.writeSorted(to: &text)
        text.endObject()
        return Digest.sha256Hex(text.finish())
    }
}

/// Compact canonical JSON for many manifest entries, written straight into one buffer
/// (no intermediate dictionaries or per-entry arrays): the digest covers tens of
/// thousands of them. Hand-written for speed: writing each entry once and sorting the
/// entries by their bytes (with the ASCII fast paths in ``Identifiers``) took `plan` at
/// 50,000 credentials from 1.75 s to 1.20 s (bench/RESULTS.md).
struct CanonicalEntries {
    /// User entries keep the key order the digest was first written with (`license`
    /// before `id`): changing it would change every digest and make saved plans stale.
    private var writer: JSONStreamWriter
    private var ranges: [Range<Int>] = []

    var bytes: [UInt8] { writer.bytes }

    init(capacity: Int) {
        writer = JSONStreamWriter(style: .compact, capacity: capacity * 96, checksKeyOrder: false)
        ranges.reserveCapacity(capacity)
    }

    /// `fields` must be in key order; `scopes` (if any) is written last, as `"scopes"`
    /// sorts after every other key used.
    mutating func append(_ fields: [(String, String)], scopes: ScopeSet?) {
        let start = writer.bytes.count
        writer.beginObject()
        for (key, value) in fields { writer.field(key, value) }
        if let scopes {
            writer.key("scopes")
            writer.beginArray()
            for scope in scopes {
                writer.element()
                writer.string(scope.rawValue)
            }
            writer.endArray()
        }
        writer.endObject()
        ranges.append(start..<writer.bytes.count)
    }

    /// `[e1,e2,...]` with the entries in byte order.
    func writeSorted(to output: inout JSONStreamWriter) {
        writer.bytes.withUnsafeBufferPointer { buffer in
            let base = buffer.baseAddress!
            let sorted = ranges.sorted { left, right in
                let common = min(left.count, right.count)
                let order = memcmp(base + left.lowerBound, base + right.lowerBound, common)
                return order != 0 ? order < 0 : left.count < right.count
            }
            output.beginArray()
            for range in sorted {
                output.element()
                output.encoded(buffer[range])
            }
            output.endArray()
        }
    }
}

/// A user entry of the manifests.
public struct DesiredUser: Sendable, Hashable {
    public var id: String
    /// The user as declared; nil when the entry says `ensure: absent`.
    public var user: User?
    public var location: SourceLocation

    public init(id: String, user: User?, location: SourceLocation) {
        self.id = id
        self.user = user
        self.location = location
    }
}

/// A credential entry of the manifests.
public struct DesiredCredential: Sendable, Hashable {
    /// Lowercase client ID that pins this entry to an existing credential.
    public var clientId: String?
    public var spec: CredentialSpec
    public var ensure: Ensure
    public var location: SourceLocation

    public init(clientId: String?, spec: CredentialSpec, ensure: Ensure, location: SourceLocation) {
        self.clientId = clientId
        self.spec = spec
        self.ensure = ensure
        self.location = location
    }
}
