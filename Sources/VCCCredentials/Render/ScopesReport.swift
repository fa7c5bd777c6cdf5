import StrictJSON

/// `vcc-creds scopes`: the catalogue as text and JSON, with the sensitive set the
/// manifests declare (or the default).
public enum ScopesReport {
    public static func text(sensitive: ScopeSet = ScopeCatalogue.defaultSensitive) -> String {
        var text = ""
        for entry in ScopeCatalogue.all {
            text += "\(entry.scope.rawValue)\(sensitive.contains(entry.scope) ? "  (sensitive)" : "")\n"
            text += "  label: \(entry.label)\n"
            text +=
                "  admin: yes, supervisor: "
                + "\(LicenseCapabilities.grantableScopes(.supervisor).contains(entry.scope) ? "yes" : "no")\n"
            for api in entry.apis { text += "  unlocks: \(api)\n" }
            text += "\n"
        }
        return text
    }

    /// `{"scopes": [{"apis", "grantableBy", "id", "label", "sensitive"}]}`.
    public static func json(sensitive: ScopeSet = ScopeCatalogue.defaultSensitive) -> [UInt8] {
        var out = JSONStreamWriter(style: .pretty, capacity: 4096)
        out.beginObject()
        out.key("scopes")
        out.beginArray()
        for entry in ScopeCatalogue.all {
            out.element()
            out.beginObject()
            out.key("apis")
            out.strings(entry.apis)
            out.key("grantableBy")
            out.strings(
                [License.admin, .supervisor].filter { LicenseCapabilities.grantableScopes($0).contains(entry.scope) }
                    .map(\.rawValue))
            out.field("id", entry.scope.rawValue)
            out.field("label", entry.label)
            out.key("sensitive")
            out.bool(sensitive.contains(entry.scope))
            out.endObject()
        }
        out.endArray()
        out.endObject()
        return out.finish()
    }
}
