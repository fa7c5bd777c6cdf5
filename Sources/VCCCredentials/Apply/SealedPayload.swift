import StrictJSON

/// The plaintext of a sealed file: one JSON document naming the account, the state it
/// belongs to, and each new credential with its secret.
enum SealedPayload {
    static let formatVersion = 1

    static func json(
        account: String, lineage: String, serial: Int, createdAt: Timestamp, credentials: [MintedCredential]
    ) -> [UInt8] {
        let entries = credentials.sorted { $0.clientId < $1.clientId }.map { credential -> JSON in
            var fields: [String: JSON] = [
                "clientId": .string(credential.clientId),
                "name": .string(credential.spec.name),
                "level": .string(credential.spec.level.rawValue),
                "scopes": .array(credential.spec.scopes.identifiers.map(JSON.string)),
                "clientSecret": .string(credential.secret.plaintext),
            ]
            if let owner = credential.spec.owner { fields["owner"] = .string(owner) }
            return .object(fields)
        }
        return JSONWriter.pretty(
            .object([
                "formatVersion": .int(formatVersion),
                "account": .string(account),
                "lineage": .string(lineage),
                "serial": .int(serial),
                "createdAt": .string(createdAt.text),
                "credentials": .array(entries),
            ]))
    }
}
