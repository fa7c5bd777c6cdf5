/// Why time, not an edit of the manifests, makes a change: a rotation's successor, the
/// deletion of its predecessor, an expiry. It carries what apply needs (which
/// credential a successor replaces, for how long both stay valid); the trigger is for
/// display only.
public enum Lifecycle: Sendable, Hashable {
    /// A create of a successor for `predecessor` (a client ID), which is deleted
    /// `overlap` after the successor exists. `migration`: the predecessor is
    /// account-level, which cannot rotate (none can be created), so the successor is
    /// user-level, owned by an admin.
    case rotation(predecessor: String, overlap: TimeSpan, trigger: RotationTrigger, migration: Bool)
    /// The deletion of a rotated credential: its successor is `successor` (nil when it
    /// is created by this same plan), and the overlap ended at `overlapEnded`.
    case retirement(successor: String?, overlapEnded: Timestamp)
    /// The deletion of a credential whose `expires` has come.
    case expiry(expires: Timestamp)

    /// The client ID a rotation's successor replaces.
    public var predecessor: String? {
        if case .rotation(let predecessor, _, _, _) = self { return predecessor }
        return nil
    }
}

/// What started a rotation: shown, never decided on.
public enum RotationTrigger: Sendable, Hashable {
    /// The secret became older than `every` (its age in days).
    case due(ageDays: Int64, every: TimeSpan)
    /// `vcc-creds rotate` asked for it.
    case requested

    /// `due` or `requested`, as plan files write it.
    public var name: String {
        switch self {
        case .due: return "due"
        case .requested: return "requested"
        }
    }
}
