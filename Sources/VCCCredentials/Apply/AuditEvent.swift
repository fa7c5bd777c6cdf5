/// What an audit line records, beyond a change a local apply made (which has no
/// `event`): a step handed to the portal, one recorded or abandoned, a credential
/// adopted or forgotten, a sealed file rekeyed.
enum AuditEvent: String, CaseIterable, Sendable {
    /// A portal apply handed the change to a person: nothing changed in VCC yet.
    case pending
    /// `record` brought back a portal step that was done: the change is made.
    case recorded
    /// `record --abandon`: the step will not be done; nothing changed.
    case abandoned
    /// `import`: a credential that exists in VCC, adopted without its secret.
    case imported
    /// `forget`: a credential someone deleted in the portal, removed from the record.
    case forgotten
    /// `rekey`: the credential's sealed file re-encrypted for other recipients; nothing
    /// changed in VCC.
    case rekeyed
    /// `refresh`: users as VCC's User Admin API has them, taken into the state.
    case refreshed
    /// `account`: how the account's changes are carried out changed (its user
    /// executor); no user or credential changed. The line's `kind` is `account`.
    case configured

    /// Whether the line's change is in the state it was written with (create, update)
    /// or gone from it (delete): false for events that change nothing in the account.
    var changesState: Bool { self != .pending && self != .abandoned && self != .rekeyed && self != .configured }
}
