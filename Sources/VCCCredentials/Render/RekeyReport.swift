import StrictJSON

/// What `rekey` did or would do, as text and JSON: each file with the recipients it
/// gains and loses, and the credentials to rotate because a removed recipient may keep
/// an old copy. Fingerprints only, never a key or a secret.
public enum RekeyReport {
    public static func text(_ result: Rekeyer.Result) -> String {
        let folder = Printable.escaped(result.folder)
        guard !result.items.isEmpty else {
            return "Nothing to rekey: every sealed file in \(folder)/ is for the recipients the manifests declare.\n"
        }
        let count = result.items.count
        var text =
            result.dryRun
            ? "\(count) sealed file\(count == 1 ? "" : "s") to rekey (dry run: nothing written):\n"
            : "Rekeyed \(count) sealed file\(count == 1 ? "" : "s"):\n"
        for item in result.items {
            text += "  ~ \(Printable.escaped(result.path(of: item)))  \(address(item.credential))\n"
            for added in item.added {
                text += "      + \(added.fingerprint) (\(Printable.escaped(added.role.description)))\n"
            }
            for removed in item.removed { text += "      - \(removed) (no longer declared)\n" }
            if item.wanted.isEmpty {
                text +=
                    "      ! cannot be rekeyed: the manifests declare no recipient for it and no settings.recipients\n"
            }
        }
        if let serial = result.newSerial { text += "State serial \(serial) committed.\n" }
        let rotate = result.toRotate
        if !rotate.isEmpty {
            text +=
                "\nRotate \(rotate.count) credential\(rotate.count == 1 ? "" : "s"): a removed recipient may still "
                + "hold an old copy of \(rotate.count == 1 ? "its file" : "their files") (git history, CI "
                + "artifacts):\n"
            for item in rotate {
                text +=
                    "  \(address(item.credential)) (\(item.credential.clientId)): removed "
                    + "\(item.removed.joined(separator: ", "))\n"
            }
        }
        return text
    }

    public static func json(_ result: Rekeyer.Result) -> [UInt8] {
        var out = JSONStreamWriter(style: .pretty, capacity: 512 * (result.items.count + 1))
        out.beginObject()
        out.key("dryRun")
        out.bool(result.dryRun)
        out.key("files")
        out.beginArray()
        for item in result.items {
            out.element()
            out.beginObject()
            out.key("added")
            ReadersReport.write(item.added, to: &out)
            out.field("clientId", item.credential.clientId)
            out.field("level", item.credential.level.rawValue)
            out.field("name", item.credential.name)
            if let owner = item.credential.owner { out.field("owner", owner) }
            out.field("path", result.path(of: item))
            out.key("recipients")
            ReadersReport.write(item.wanted, to: &out)
            out.key("removed")
            out.strings(item.removed)
            out.endObject()
        }
        out.endArray()
        out.field("folder", result.folder)
        out.key("notes")
        out.strings(result.notes.map(\.message))
        out.key("rotate")
        out.strings(result.toRotate.map(\.credential.clientId))
        out.key("serial")
        if let serial = result.newSerial { out.int(serial) } else { out.null() }
        out.endObject()
        return out.finish()
    }

    static func address(_ credential: Credential) -> String {
        Printable.escaped(CredentialAddress(credential).description)
    }
}
