import StrictJSON

/// `index.json` in the sealed folder: which file holds which credential's secret and
/// who can open it (fingerprints), so a consumer finds its file and a reviewer sees who
/// reads what, without any key. No secrets. A view of the state, rewritten whenever
/// the credentials with a sealed file of their own change (and by recovery, after an
/// interrupted run that committed).
///
/// Format (canonical JSON, sorted keys): `{account, files: [{clientId, current, file,
/// level, name, owner?, recipients, replacedBy?, retiresAt?}], formatVersion, lineage,
/// serial}`; `file` is relative to the index's folder. During a rotation's overlap both
/// halves have a file under one owner and name: the successor is `current`, the
/// predecessor is not and says which credential replaces it and when it is deleted, so a
/// consumer that finds its file by owner and name takes the current one.
enum SealedIndex {
    static let formatVersion = 1
    static let fileName = "index.json"

    static func path(in folder: String) -> String { PathComponents.join(folder, fileName) }

    /// A credential's own sealed file: named from its client ID, never from a name a
    /// manifest chose.
    static func fileName(for clientId: String) -> String { clientId + ".age" }

    /// Which state an index belongs to (its `lineage` and `account`), read back from
    /// what ``encode(_:)`` writes; nil for anything else.
    static func owner(of bytes: [UInt8]) -> (lineage: String, account: String)? {
        guard case .object(let members)? = try? JSONParser.parse(bytes).root.content,
            case .string(let lineage)? = members.first(where: { $0.key == "lineage" })?.value.content,
            case .string(let account)? = members.first(where: { $0.key == "account" })?.value.content
        else { return nil }
        return (lineage, account)
    }

    /// The index of every credential `state` records a sealed file of.
    static func encode(_ state: State) -> [UInt8] {
        let sealed = state.credentials.filter { $0.sealedTo != nil }.sorted { $0.clientId < $1.clientId }
        let successors = successorsInOverlap(state)
        var out = JSONStreamWriter(style: .pretty, capacity: 256 * (sealed.count + 1))
        out.beginObject()
        out.field("account", state.account.id)
        out.key("files")
        out.beginArray()
        for credential in sealed {
            out.element()
            out.beginObject()
            let successor = successors[credential.clientId]
            out.field("clientId", credential.clientId)
            out.key("current")
            out.bool(successor == nil)
            out.field("file", fileName(for: credential.clientId))
            out.field("level", credential.level.rawValue)
            out.field("name", credential.name)
            if let owner = credential.owner { out.field("owner", owner) }
            out.key("recipients")
            out.strings(credential.sealedTo ?? [])
            if let successor {
                out.field("replacedBy", successor.clientId)
                if let ends = successor.overlapEndsAt { out.field("retiresAt", ends.description) }
            }
            out.endObject()
        }
        out.endArray()
        out.field("formatVersion", formatVersion)
        out.field("lineage", state.lineage)
        out.field("serial", state.serial)
        out.endObject()
        return out.finish()
    }

    /// Each credential in a rotation's overlap, by client ID, with its successor.
    static func successorsInOverlap(_ state: State) -> [String: Credential] {
        var result: [String: Credential] = [:]
        for credential in state.credentials {
            if let predecessor = credential.livePredecessor { result[predecessor] = credential }
        }
        return result
    }

    /// Whether the index of `next` says anything the index of `previous` did not.
    static func changes(from previous: State, to next: State) -> Bool {
        func entries(_ state: State) -> [String: Credential] {
            Dictionary(
                state.credentials.lazy.filter { $0.sealedTo != nil }.map { ($0.clientId, $0) },
                uniquingKeysWith: { a, _ in a })
        }
        let before = entries(previous)
        let after = entries(next)
        guard before.count == after.count else { return true }
        let replacedBefore = successorsInOverlap(previous)
        let replacedAfter = successorsInOverlap(next)
        for (clientId, credential) in after {
            guard let old = before[clientId], old.sealedTo == credential.sealedTo, old.name == credential.name,
                old.owner == credential.owner, old.level == credential.level,
                replacedBefore[clientId]?.clientId == replacedAfter[clientId]?.clientId,
                replacedBefore[clientId]?.overlapEndsAt == replacedAfter[clientId]?.overlapEndsAt
            else { return true }
        }
        return false
    }
}
