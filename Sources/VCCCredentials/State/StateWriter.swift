import StrictJSON

/// Writes a sorted state in the canonical form (keys in sorted order, two-space indent,
/// newline at the end) directly, field by field: the same bytes as the generic canonical
/// writer, without building a tree of dictionaries for tens of thousands of credentials.
enum StateWriter {
    static func encode(_ state: State) -> [UInt8] {
        var out = JSONStreamWriter(style: .pretty, capacity: 512 * (state.credentials.count + 1) + 128 * state.users.count)
        out.beginObject()
        out.key("account")
        out.beginObject()
        out.key("apiCredentialsEnabled")
        out.bool(state.account.apiCredentialsEnabled)
        out.field("id", state.account.id)
        out.endObject()
        out.key("credentials")
        out.beginArray()
        for credential in state.credentials {
            out.element()
            out.beginObject()
            out.field("clientId", credential.clientId)
            out.field("createdAt", credential.createdAt)
            out.field("createdBy", credential.createdBy)
            out.field("level", credential.level.rawValue)
            out.field("name", credential.name)
            if let owner = credential.owner { out.field("owner", owner) }
            out.key("scopes")
            out.strings(credential.scopes.identifiers)
            out.field("secretSha256", credential.secretSha256)
            out.field("updatedAt", credential.updatedAt)
            out.endObject()
        }
        out.endArray()
        out.field("formatVersion", state.formatVersion)
        out.field("lineage", state.lineage)
        out.field("serial", state.serial)
        out.key("users")
        out.beginArray()
        for user in state.users {
            out.element()
            out.beginObject()
            out.field("id", user.id)
            out.field("license", user.license.rawValue)
            out.field("name", user.name)
            out.endObject()
        }
        out.endArray()
        out.endObject()
        return out.finish()
    }
}
