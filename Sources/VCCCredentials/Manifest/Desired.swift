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
        var text: [UInt8] = []
        text.reserveCapacity(users.bytes.count + credentials.bytes.count + 256)
        text += Array(#"{"account":"#.utf8)
        JSONWriter.appendString(account, to: &text)
        text += Array(#","credentials":"#.utf8)
        credentials.appendSorted(to: &text)
        text += Array(#","settings":"#.utf8)
        text += JSONWriter.compact(
            .object([
                "prune": .bool(settings.prune), "maxDeletes": .int(settings.maxDeletes),
                "recipients": .array(settings.recipients.sorted().map(JSON.string)),
            ]))
        text += Array(#","users":"#.utf8)
        users.appendSorted(to: &text)
        text.append(UInt8(ascii: "}"))
        return Digest.sha256Hex(text)
    }
}

/// Compact canonical JSON for many manifest entries, written straight into one buffer
/// (no intermediate dictionaries or per-entry arrays): the digest covers tens of
/// thousands of them.
struct CanonicalEntries {
    private(set) var bytes: [UInt8] = []
    private var ranges: [Range<Int>] = []

    init(capacity: Int) {
        bytes.reserveCapacity(capacity * 96)
        ranges.reserveCapacity(capacity)
    }

    /// `fields` must be in key order; `scopes` (if any) is written last, as `"scopes"`
    /// sorts after every other key used.
    mutating func append(_ fields: [(String, String)], scopes: ScopeSet?) {
        let start = bytes.count
        bytes.append(UInt8(ascii: "{"))
        for (index, (key, value)) in fields.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            JSONWriter.appendString(key, to: &bytes)
            bytes.append(UInt8(ascii: ":"))
            JSONWriter.appendString(value, to: &bytes)
        }
        if let scopes {
            bytes += #","scopes":["#.utf8
            for (index, scope) in scopes.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                JSONWriter.appendString(scope.rawValue, to: &bytes)
            }
            bytes.append(UInt8(ascii: "]"))
        }
        bytes.append(UInt8(ascii: "}"))
        ranges.append(start..<bytes.count)
    }

    /// `[e1,e2,...]` with the entries in byte order.
    func appendSorted(to output: inout [UInt8]) {
        bytes.withUnsafeBufferPointer { buffer in
            let base = buffer.baseAddress!
            let sorted = ranges.sorted { left, right in
                let common = min(left.count, right.count)
                let order = memcmp(base + left.lowerBound, base + right.lowerBound, common)
                return order != 0 ? order < 0 : left.count < right.count
            }
            output.append(UInt8(ascii: "["))
            for (index, range) in sorted.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                output.append(contentsOf: buffer[range])
            }
            output.append(UInt8(ascii: "]"))
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
