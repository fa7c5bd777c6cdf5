/// Who carries out an account's permitted changes: a fact of the account, kept in the
/// state, because VCC has no API to create, edit or delete API credentials.
public enum Executor: String, CaseIterable, Sendable, Hashable {
    /// `apply` makes the changes itself and mints the secrets: the state *is* the account
    /// (the default, for trying the tool, tests, and accounts run wholly from the state).
    case local
    /// `apply` hands the changes to a person as runbook steps in the Admin Portal, and
    /// `record` brings back what the portal showed (client ID, secret) to seal.
    case portal
}
