import StrictJSON

/// Writes a sorted state in the canonical form (keys in sorted order, two-space indent,
/// newline at the end) directly, field by field: the same bytes as the generic canonical
/// writer, without building a tree of dictionaries for tens of thousands of credentials.
enum StateWriter {
    static func encode(_ state: State) -> [UInt8] {
        var out = PrettyJSON()
        out.bytes.reserveCapacity(512 * (state.credentials.count + 1) + 128 * state.users.count)
        out.raw("{\n")
        out.key("account", 1)
        out.raw("{\n")
        out.key("apiCredentialsEnabled", 2)
        out.raw(state.account.apiCredentialsEnabled ? "true" : "false")
        out.raw(",\n")
        out.field("id", state.account.id, 2, last: true)
        out.indent(1)
        out.raw("},\n")
        out.key("credentials", 1)
        out.list(state.credentials, 1) { out, credential in
            out.raw("{\n")
            out.field("clientId", credential.clientId, 3)
            out.field("createdAt", credential.createdAt.text, 3)
            out.field("createdBy", credential.createdBy, 3)
            out.field("level", credential.level.rawValue, 3)
            out.field("name", credential.name, 3)
            if let owner = credential.owner { out.field("owner", owner, 3) }
            out.key("scopes", 3)
            out.list(Array(credential.scopes), 3) { out, scope in out.string(scope.rawValue) }
            out.raw(",\n")
            out.field("secretSha256", credential.secretSha256, 3)
            out.field("updatedAt", credential.updatedAt.text, 3, last: true)
            out.indent(2)
            out.raw("}")
        }
        out.raw(",\n")
        out.key("formatVersion", 1)
        out.raw("\(state.formatVersion),\n")
        out.field("lineage", state.lineage, 1)
        out.key("serial", 1)
        out.raw("\(state.serial),\n")
        out.key("users", 1)
        out.list(state.users, 1) { out, user in
            out.raw("{\n")
            out.field("id", user.id, 3)
            out.field("license", user.license.rawValue, 3)
            out.field("name", user.name, 3, last: true)
            out.indent(2)
            out.raw("}")
        }
        out.raw("\n}\n")
        return out.bytes
    }
}
