import StrictJSON

/// Writes a sorted state in the canonical form (keys in sorted order, two-space indent,
/// newline at the end) directly, field by field: the same bytes as the generic canonical
/// writer, without building a tree of dictionaries for tens of thousands of credentials.
enum StateWriter {
    static func encode(_ state: State) -> [UInt8] {
        var out = JSONStreamWriter(
            style: .pretty, capacity: 512 * (state.credentials.count + 1) + 128 * state.users.count)
        out.beginObject()
        out.key("account")
        out.beginObject()
        out.key("apiCredentialsEnabled")
        out.bool(state.account.apiCredentialsEnabled)
        let version = state.writtenFormatVersion
        if version >= 2 { out.field("executor", state.account.executor.rawValue) }
        out.field("id", state.account.id)
        if let users = state.account.declaredUserExecutor { out.field("userExecutor", users.rawValue) }
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
            if let end = credential.overlapEndsAt { out.field("overlapEndsAt", end) }
            if let owner = credential.owner { out.field("owner", owner) }
            if !credential.predecessors.isEmpty {
                out.key("predecessors")
                out.strings(credential.predecessors)
            }
            out.key("scopes")
            out.strings(credential.scopes.identifiers)
            if let sealedTo = credential.sealedTo {
                out.key("sealedTo")
                out.strings(sealedTo)
            }
            if let digest = credential.secretSha256 { out.field("secretSha256", digest) }
            out.field("updatedAt", credential.updatedAt)
            out.endObject()
        }
        out.endArray()
        out.field("formatVersion", version)
        out.field("lineage", state.lineage)
        if version >= 2 {
            out.key("pending")
            out.beginArray()
            for step in state.pending {
                out.element()
                write(step, to: &out)
            }
            out.endArray()
        }
        let declared = state.declaredScopes
        if !declared.isEmpty { writeScopes(declared, to: &out) }
        out.field("serial", state.serial)
        out.key("users")
        out.beginArray()
        for user in state.users {
            out.element()
            out.beginObject()
            if let email = user.email { out.field("email", email) }
            out.field("id", user.id)
            out.field("license", user.license.rawValue)
            out.field("name", user.name)
            if let vccUserId = user.vccUserId { out.field("vccUserId", vccUserId) }
            out.endObject()
        }
        out.endArray()
        out.endObject()
        return out.finish()
    }

    /// `{action, by, dependsOn, id, kind, planDigest, plannedAt, target, to?}`: the
    /// target as plans name it, `to` what a create or an update sets.
    static func write(_ step: PendingStep, to out: inout JSONStreamWriter) {
        out.beginObject()
        out.field("action", step.action.rawValue)
        out.field("by", step.by)
        out.key("dependsOn")
        out.strings(step.dependsOn)
        out.field("id", step.id)
        out.field("kind", step.subject.kind.rawValue)
        out.field("planDigest", step.planDigest)
        out.field("plannedAt", step.plannedAt)
        if let rotates = step.rotates {
            out.key("rotates")
            out.beginObject()
            out.field("overlap", rotates.overlap.description)
            out.field("predecessor", rotates.predecessor)
            out.endObject()
        }
        out.key("target")
        out.beginObject()
        switch step.subject {
        case .user(let id, _, let after):
            out.field("id", id)
            out.endObject()
            if let after {
                out.key("to")
                out.beginObject()
                out.field("license", after.license.rawValue)
                out.field("name", after.name)
                out.endObject()
            }
        case .credential(let target, _, let after):
            if let clientId = target.clientId { out.field("clientId", clientId) }
            out.field("level", target.level.rawValue)
            out.field("name", target.name)
            if let owner = target.owner { out.field("owner", owner) }
            out.endObject()
            if let after {
                out.key("to")
                out.beginObject()
                out.field("name", after.name)
                out.key("scopes")
                out.strings(after.scopes.identifiers)
                out.endObject()
            }
        }
        out.endObject()
    }
}
