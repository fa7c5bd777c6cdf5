/// What one command changes in a state, as its writer states it. Everything else is
/// ``StateTransaction/write(_:_:)``'s: the next serial, the account's sealed folder when
/// none is named, the audit lines, the journal, the commit. A new state writer builds one
/// of these under ``StateTransaction/lock(_:timeout:beforeLock:)`` and nothing more.
struct StateChange {
    /// The state after the change (its serial is set by the transaction).
    var next: State
    /// The changes made, one audit line each.
    var changes: [Change]
    /// When they were made: the audit lines' time.
    var time: Timestamp
    /// The audit event (nil: the changes' own actions, as `apply` writes them).
    var event: AuditEvent?
    /// User records taken in from VCC before `changes` (`apply --refresh`): audited
    /// first, as `refreshed`.
    var observed: [Change] = []
    /// Audit lines of account settings changed (``AuditLog/accountLine``), after the rest.
    var accountAudit: (actor: String, reason: String)?
    var reason: String?
    /// Secrets minted or recorded, by change: their client IDs go into the audit lines.
    var minted: [ChangeID: MintedCredential] = [:]
    /// Sealed files written with the state. Its folder, when nil, is `sealedDir`.
    var sealed = StateTransaction.SealedWrites.none
    /// `--sealed-dir`: where the index is kept (nil: `secrets/ACCOUNT`).
    var sealedDir: String?
    /// Read the new state back before writing it: for changes made from hand-editable
    /// input (see ``StateTransaction/prepare(next:replacing:sealed:audit:checked:)``).
    var checked = false
}
