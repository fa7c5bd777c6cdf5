/// Who carries out an account's user changes. Unlike credentials, users have an API:
/// VCC's User Admin API creates, re-licenses, archives and deletes them, so a user
/// change can be made by `apply` itself (`api`), as well as by the state alone (`local`)
/// or by a person in the portal (`portal`).
public enum UserExecutor: String, CaseIterable, Sendable, Hashable {
    /// The state is the account: a user change is recorded, nothing is sent.
    case local
    /// A user change is a runbook step in the Admin Portal, closed by `record`.
    case portal
    /// `apply` makes user changes through the User Admin API with the tool's own
    /// credential (an admin's, with `users:write`).
    case api

    /// The user executor an account has when its state names none: its executor's.
    public static func implied(by executor: Executor) -> UserExecutor {
        executor == .portal ? .portal : .local
    }
}
