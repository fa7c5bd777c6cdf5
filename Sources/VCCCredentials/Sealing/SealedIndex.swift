import StrictJSON

/// `index.json` in the sealed folder: which file holds which credential's secret and
/// who can open it (fingerprints), so a consumer finds its file and a reviewer sees who
/// reads what, without any key. No secrets. A view of the state, rewritten whenever
/// the credentials with a sealed file of their own change (and by recovery, after an
/// interrupted run that committed).
///
/// Format (canonical JSON, sorted keys): `{account, files: [{clientId, file, level,
/// name, owner?, recipients}], formatVersion, lineage, serial}`; `file` is relative to
/// the index's folder.
enum SealedIndex {
    static let formatVersion = 1
    static let fileName = "index.json"

    static func path(in folder: String) -> String { PathComponents.join(folder, fileName) }

    /// A credential's own sealed file: named from its client ID, never from a name a
    /// manifest chose.
    static func fileName(for clientId: String) -> String { clientId + ".age" }

    /// The index of every credential `state` records a sealed file of.
    static func encode(_ state: State) -> [UInt8] {
        let sealed = state.credentials.filter { $0.sealedTo != nil }.sorted { $0.clientId < $1.clientId }
        var out = JSONStreamWriter(style: .pretty, capacity: 256 * (sealed.count + 1))
        out.beginObject()
        out.field("account", state.account.id)
        out.key("files")
        out.beginArray()
        for credential in sealed {
            out.element()
            out.beginObject()
            out.field("clientId", credential.clientId)
            out.field("file", fileName(for: credential.clientId))
            out.field("level", credential.level.rawValue)
            out.field("name", credential.name)
            if let owner = credential.owner { out.field("owner", owner) }
            out.key("recipients")
            out.strings(credential.sealedTo ?? [])
            out.endObject()
        }
        out.endArray()
        out.field("formatVersion", formatVersion)
        out.field("lineage", state.lineage)
        out.field("serial", state.serial)
        out.endObject()
        return out.finish()
    }

    /// Whether the index of `next` says anything the index of `previous` did not.
    static func changes(from previous: State, to next: State) -> Bool {
        func entries(_ state: State) -> [String: Credential] {
            Dictionary(
                state.credentials.lazy.filter { $0.sealedTo != nil }.map { ($0.clientId, $0) }, uniquingKeysWith: { a, _ in a })
        }
        let before = entries(previous)
        let after = entries(next)
        guard before.count == after.count else { return true }
        for (clientId, credential) in after {
            guard let old = before[clientId], old.sealedTo == credential.sealedTo, old.name == credential.name,
                old.owner == credential.owner, old.level == credential.level
            else { return true }
        }
        return false
    }
}
