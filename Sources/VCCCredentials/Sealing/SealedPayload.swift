import StrictJSON

/// The plaintext of a sealed file: one JSON document naming the account, the state it
/// belongs to, and each new credential with its secret. Written in canonical form
/// (sorted keys, two-space indent).
enum SealedPayload {
    static let formatVersion = 1

    static func json(
        account: String, lineage: String, serial: Int, createdAt: Timestamp, credentials: [MintedCredential]
    ) -> [UInt8] {
        var out = JSONStreamWriter(style: .pretty, capacity: 256 * (credentials.count + 1))
        out.beginObject()
        out.field("account", account)
        out.field("createdAt", createdAt)
        out.key("credentials")
        out.beginArray()
        for credential in credentials.sorted(by: { $0.clientId < $1.clientId }) {
            out.element()
            out.beginObject()
            out.field("clientId", credential.clientId)
            out.field("clientSecret", credential.secret.plaintext)
            out.field("level", credential.spec.level.rawValue)
            out.field("name", credential.spec.name)
            if let owner = credential.spec.owner { out.field("owner", owner) }
            out.key("scopes")
            out.strings(credential.spec.scopes.identifiers)
            out.endObject()
        }
        out.endArray()
        out.field("formatVersion", formatVersion)
        out.field("lineage", lineage)
        out.field("serial", serial)
        out.endObject()
        return out.finish()
    }

    /// The credentials a payload holds, read back from what ``json(account:lineage:serial:createdAt:credentials:)``
    /// writes: each client ID with its secret (nil where it has none); nil for anything
    /// that is not a payload.
    static func entries(_ plaintext: [UInt8]) -> [(clientId: String, secret: String?)]? {
        guard case .object(let members)? = try? JSONParser.parse(plaintext).root.content,
            case .array(let items)? = members.first(where: { $0.key == "credentials" })?.value.content
        else { return nil }
        return items.compactMap { item in
            guard case .object(let fields) = item.content,
                case .string(let clientId)? = fields.first(where: { $0.key == "clientId" })?.value.content
            else { return nil }
            guard case .string(let secret)? = fields.first(where: { $0.key == "clientSecret" })?.value.content else {
                return (clientId, nil)
            }
            return (clientId, secret)
        }
    }

    /// Why a sealed payload is not this credential's, or nil: it must name the
    /// credential once, and its secret must match the state's digest (when held).
    static func mismatch(_ plaintext: [UInt8], credential: Credential) -> String? {
        guard let entries = entries(plaintext) else { return "it is not a vcc-creds sealed file" }
        let matching = entries.filter { $0.clientId == credential.clientId }
        guard matching.count == 1 else { return "it does not name the credential" }
        guard let digest = credential.secretSha256 else { return nil }
        guard let secret = matching[0].secret, Digest.sha256Hex(Array(secret.utf8)) == digest else {
            return "its secret does not match the state's digest"
        }
        return nil
    }
}
