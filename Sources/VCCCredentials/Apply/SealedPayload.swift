/// The plaintext of a sealed file: one JSON document naming the account, the state it
/// belongs to, and each new credential with its secret. Written in canonical form
/// (sorted keys, two-space indent).
enum SealedPayload {
    static let formatVersion = 1

    static func json(
        account: String, lineage: String, serial: Int, createdAt: Timestamp, credentials: [MintedCredential]
    ) -> [UInt8] {
        var out = PrettyJSON()
        out.raw("{\n")
        out.field("account", account, 1)
        out.field("createdAt", createdAt.text, 1)
        out.key("credentials", 1)
        out.list(credentials.sorted { $0.clientId < $1.clientId }, 1) { out, credential in
            out.raw("{\n")
            out.field("clientId", credential.clientId, 3)
            out.field("clientSecret", credential.secret.plaintext, 3)
            out.field("level", credential.spec.level.rawValue, 3)
            out.field("name", credential.spec.name, 3)
            if let owner = credential.spec.owner { out.field("owner", owner, 3) }
            out.key("scopes", 3)
            out.list(Array(credential.spec.scopes), 3) { out, scope in out.string(scope.rawValue) }
            out.raw("\n")
            out.indent(2)
            out.raw("}")
        }
        out.raw(",\n")
        out.key("formatVersion", 1)
        out.raw("\(formatVersion),\n")
        out.field("lineage", lineage, 1)
        out.key("serial", 1)
        out.raw("\(serial)\n}\n")
        return out.bytes
    }
}
