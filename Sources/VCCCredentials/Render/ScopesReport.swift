import StrictJSON

/// `vcc-creds scopes`: the catalogue as text and JSON (VCC's own scopes, then those the
/// manifests declare in `settings.scopes`), with the sensitive set the manifests declare
/// (or the default).
public enum ScopesReport {
    /// Every scope to show: the built-in ones, then `declared`, each in identifier order.
    static func scopes(_ declared: [ScopeDeclaration]) -> [Scope] {
        Scope.builtIn + declared.map(Scope.init(declared:)).sorted()
    }

    public static func text(
        sensitive: ScopeSet = ScopeCatalogue.defaultSensitive, declared: [ScopeDeclaration] = []
    ) -> String {
        var text = ""
        for scope in scopes(declared) {
            guard let declaration = scope.declaration else { continue }
            text += "\(scope.rawValue)\(sensitive.contains(scope) ? "  (sensitive)" : "")"
            text += scope.isBuiltIn ? "\n" : "  (declared in settings.scopes)\n"
            text += "  label: \(Printable.escaped(declaration.label))\n"
            text +=
                "  admin: \(LicenseCapabilities.mayGrant(scope, .admin) ? "yes" : "no"), supervisor: "
                + "\(LicenseCapabilities.mayGrant(scope, .supervisor) ? "yes" : "no")\n"
            for api in declaration.unlocks { text += "  unlocks: \(Printable.escaped(api))\n" }
            text += "\n"
        }
        return text
    }

    /// `{"scopes": [{"apis", "builtIn", "grantableBy", "id", "label", "sensitive"}]}`.
    public static func json(
        sensitive: ScopeSet = ScopeCatalogue.defaultSensitive, declared: [ScopeDeclaration] = []
    ) -> [UInt8] {
        var out = JSONStreamWriter(style: .pretty, capacity: 4096)
        out.beginObject()
        out.key("scopes")
        out.beginArray()
        for scope in scopes(declared) {
            guard let declaration = scope.declaration else { continue }
            out.element()
            out.beginObject()
            out.key("apis")
            out.strings(declaration.unlocks)
            out.key("builtIn")
            out.bool(scope.isBuiltIn)
            out.key("grantableBy")
            out.strings(
                [License.admin, .supervisor].filter { LicenseCapabilities.mayGrant(scope, $0) }.map(\.rawValue))
            out.field("id", scope.rawValue)
            out.field("label", declaration.label)
            out.key("sensitive")
            out.bool(sensitive.contains(scope))
            out.endObject()
        }
        out.endArray()
        out.endObject()
        return out.finish()
    }
}
