/// Where `--state` and `--manifests` point when they are not given: `VCC_CREDS_STATE` and
/// `VCC_CREDS_MANIFESTS`, so a pipeline or a shell names its account once. A flag wins;
/// an empty variable counts as unset (`VAR= vcc-creds ...` turns it off).
public enum PathDefaults {
    public static let stateVariable = "VCC_CREDS_STATE"
    public static let manifestsVariable = "VCC_CREDS_MANIFESTS"
    /// The manifests folder when neither a flag nor the variable names one.
    public static let manifestsFolder = "manifests"
    /// What every command says when no state file is named, so a user who has not
    /// met the variable learns it where they need it.
    public static let stateHint = "give --state FILE or set \(stateVariable)"

    /// `path` (a flag, or a saved plan's recorded state) when given, else the variable's
    /// value; nil when neither names a file.
    public static func state(_ path: String?, variables: [String: String]) -> String? {
        path ?? value(of: stateVariable, in: variables)
    }

    /// ``state(_:variables:)`` for a command that writes the state: no file is an error
    /// that says how to name one (`planFile`: the saved plan that recorded none).
    static func requiredState(_ path: String?, variables: [String: String], planFile: String? = nil)
        throws(ApplyError) -> String
    {
        guard let state = state(path, variables: variables) else { throw .noStatePath(planFile: planFile) }
        return state
    }

    /// `path` when given, else the variable's value; nil when neither names a folder
    /// (most commands then read ``manifestsFolder``).
    public static func manifests(_ path: String?, variables: [String: String]) -> String? {
        path ?? value(of: manifestsVariable, in: variables)
    }

    private static func value(of name: String, in variables: [String: String]) -> String? {
        guard let value = variables[name], !value.isEmpty else { return nil }
        return value
    }
}
