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

    /// Who a command that acts as one user runs as (`export`, `import`, `forget`).
    public enum Single: Sendable, Hashable {
        case user(String)
        /// Neither `--as` nor the variable names anyone.
        case nobody
        /// The variable names this many users; the command cannot choose among them.
        case several(Int)
    }

    /// `flag` when given, else the variable when it names exactly one user: acting as
    /// the first of several would be a guess, and for an admin's command a wrong one.
    public static func single(flag: String?, environment: [String: String]) -> Single {
        let actors = resolve(flags: flag.map { [$0] } ?? [], environment: environment)
        switch actors.count {
        case 0: return .nobody
        case 1: return .user(actors[0])
        default: return .several(actors.count)
        }
    }
}
