/// The users a run acts as: every `--as`, in order, or else `VCC_CREDS_AS`
/// (comma-separated), so a pipeline sets its actors once. Flags win over the
/// environment; an empty variable is unset.
public enum ActorList {
    /// The environment variable read when no `--as` is given.
    public static let variable = "VCC_CREDS_AS"

    /// `flags` when given, else the variable's comma-separated ids (spaces around each
    /// trimmed: ids hold none); empty when neither names anyone.
    public static func resolve(flags: [String], environment: [String: String]) -> [String] {
        guard flags.isEmpty else { return flags }
        guard let value = environment[variable] else { return [] }
        return value.split(separator: ",", omittingEmptySubsequences: true)
            .map { String($0.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed()) }
            .filter { !$0.isEmpty }
    }
}
