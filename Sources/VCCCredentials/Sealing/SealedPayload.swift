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
}
