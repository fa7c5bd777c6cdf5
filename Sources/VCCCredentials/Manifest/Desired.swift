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
    /// It hashes canonical JSON: `{"account", "credentials", "settings", "users"}` with
    /// every entry written with sorted keys and the entries sorted by their bytes.
    public var digest: String {
        let userEntries = users.map { user -> [UInt8] in
            var fields: [(String, String)] = [("ensure", user.user == nil ? "absent" : "present"), ("id", user.id)]
            if let declared = user.user {
                fields.insert(("license", declared.license.rawValue), at: 1)
                fields.append(("name", declared.name))
            }
            return CanonicalEntry.encode(fields, scopes: nil)
        }
        let credentialEntries = credentials.map { credential -> [UInt8] in
            var fields: [(String, String)] = []
            if let clientId = credential.clientId { fields.append(("clientId", clientId)) }
            fields.append(("ensure", credential.ensure.rawValue))
            fields.append(("level", credential.spec.level.rawValue))
            fields.append(("name", credential.spec.name))
            if let owner = credential.spec.owner { fields.append(("owner", owner)) }
            return CanonicalEntry.encode(fields, scopes: credential.spec.scopes)
        }
        var text: [UInt8] = []
        text.reserveCapacity(64 * (userEntries.count + credentialEntries.count) + 256)
        text += Array(#"{"account":"#.utf8)
        JSONWriter.appendString(account, to: &text)
        text += Array(#","credentials":"#.utf8)
        CanonicalEntry.appendSorted(credentialEntries, to: &text)
        text += JSONWriter.compact(
            .object([
                "prune": .bool(settings.prune), "maxDeletes": .int(settings.maxDeletes),
                "recipients": .array(settings.recipients.sorted().map(JSON.string)),
            ]))
            .withPrefix(#","settings":"#)
        text += Array(#","users":"#.utf8)
        CanonicalEntry.appendSorted(userEntries, to: &text)
        text.append(UInt8(ascii: "}"))
        return Digest.sha256Hex(text)
    }
}

/// Compact canonical JSON for one manifest entry, written directly (no intermediate
/// dictionaries): the digest covers tens of thousands of them.
enum CanonicalEntry {
    /// `fields` must be in key order; `scopes` (if any) is written last, as `"scopes"`
    /// sorts after every other key used.
    static func encode(_ fields: [(String, String)], scopes: ScopeSet?) -> [UInt8] {
        var output: [UInt8] = [UInt8(ascii: "{")]
        for (index, (key, value)) in fields.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            JSONWriter.appendString(key, to: &output)
            output.append(UInt8(ascii: ":"))
            JSONWriter.appendString(value, to: &output)
        }
        if let scopes {
            output += Array(#","scopes":["#.utf8)
            for (index, scope) in scopes.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                JSONWriter.appendString(scope.rawValue, to: &output)
            }
            output.append(UInt8(ascii: "]"))
        }
        output.append(UInt8(ascii: "}"))
        return output
    }

    /// `[e1,e2,...]` with the entries in byte order.
    static func appendSorted(_ entries: [[UInt8]], to output: inout [UInt8]) {
        let sorted = entries.sorted { $0.lexicographicallyPrecedesBytes($1) }
        output.append(UInt8(ascii: "["))
        for (index, entry) in sorted.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            output += entry
        }
        output.append(UInt8(ascii: "]"))
    }
}

extension Array where Element == UInt8 {
    /// Byte order, by `memcmp`.
    fileprivate func lexicographicallyPrecedesBytes(_ other: [UInt8]) -> Bool {
        withUnsafeBufferPointer { left in
            other.withUnsafeBufferPointer { right in
                let common = Swift.min(left.count, right.count)
                let order = common == 0 ? 0 : memcmp(left.baseAddress!, right.baseAddress!, common)
                return order != 0 ? order < 0 : left.count < right.count
            }
        }
    }

    fileprivate func withPrefix(_ prefix: String) -> [UInt8] {
        Array(prefix.utf8) + self
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
