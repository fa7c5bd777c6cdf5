/// What a run would do: every change in apply order, each decided for the run's
/// actors, plus what was left out and why. The planner produces it; renderers and apply
/// read it.
public struct Plan: DecidedChanges, Sendable, Hashable {
    public var account: String
    /// The users the run acts as (`--as`), in the order given: a change is made by the
    /// first of them the rules permit, its owner first.
    public var actors: [User]
    public var stateLineage: String
    public var stateSerial: Int
    public var changes: [Change]
    public var hidden: Hidden
    public var unmanaged: Unmanaged
    /// Portal steps open in the state that the actors can see: under way, so not planned.
    public var awaiting: [PendingStep]
    /// Sealed files (of credentials the actors can see) whose recipients differ from the
    /// manifests': `vcc-creds rekey` re-encrypts them. Not changes: nothing in VCC moves.
    public var sealedFilesToRekey: Int
    /// The time the plan was made at: what rotation and expiry were decided by.
    public var plannedAt: Timestamp
    /// Rotations asked for (`vcc-creds rotate`), kept so a saved plan plans them again.
    public var rotationRequests: [RotationRequest]
    /// Credentials in their overlap, left as they are: both secrets valid.
    public var rotating: [RotationNotice]
    /// Credentials expiring within `settings.expiryWarning`, and entries already expired
    /// and so not created.
    public var expiring: [ExpiryNotice]
    /// The scopes whose grant is marked sensitive (``Settings/sensitive``).
    public var sensitiveScopes: ScopeSet = ScopeCatalogue.defaultSensitive
    /// `--target` / `--exclude`, when the plan is partial.
    public var targeting = Targeting()
    /// Changes of the whole plan this partial one leaves out.
    public var leftOut = 0

    public init(
        account: String, actors: [User], stateLineage: String, stateSerial: Int, changes: [Change], hidden: Hidden,
        unmanaged: Unmanaged, awaiting: [PendingStep] = [], sealedFilesToRekey: Int = 0,
        plannedAt: Timestamp = Timestamp(seconds: 0), rotationRequests: [RotationRequest] = [],
        rotating: [RotationNotice] = [], expiring: [ExpiryNotice] = []
    ) {
        self.account = account
        self.actors = actors
        self.stateLineage = stateLineage
        self.stateSerial = stateSerial
        self.changes = changes
        self.hidden = hidden
        self.unmanaged = unmanaged
        self.awaiting = awaiting
        self.sealedFilesToRekey = sealedFilesToRekey
        self.plannedAt = plannedAt
        self.rotationRequests = rotationRequests
        self.rotating = rotating.sorted { $0.successor < $1.successor }
        self.expiring = expiring.sorted { $0.target < $1.target }
    }

    /// What none of the actors can see: counted, never changed.
    /// No rule hides a user from an actor, so only credentials and the manifest
    /// entries naming them are ever hidden.
    public struct Hidden: Sendable, Hashable {
        /// Credentials of the state no actor can see.
        public var credentials: Int
        /// Manifest credential entries for credentials no actor could see (another
        /// owner's, account-level for a non-admin): left out of the run, whether or not
        /// such a credential exists.
        public var entries: Int

        public init(credentials: Int, entries: Int = 0) {
            self.credentials = credentials
            self.entries = entries
        }
    }

    /// Visible resources the manifests do not name, left alone because prune is off.
    public struct Unmanaged: Sendable, Hashable {
        public var users: [String]
        public var credentials: [CredentialTarget]

        public init(users: [String] = [], credentials: [CredentialTarget] = []) {
            self.users = users
            self.credentials = credentials
        }

        public var isEmpty: Bool { users.isEmpty && credentials.isEmpty }
    }

    /// Permitted changes by action, and refused changes.
    public struct Summary: Sendable, Hashable {
        public var create = 0
        public var update = 0
        public var delete = 0
        public var refused = 0

        public init(create: Int = 0, update: Int = 0, delete: Int = 0, refused: Int = 0) {
            self.create = create
            self.update = update
            self.delete = delete
            self.refused = refused
        }

        public var permitted: Int { create + update + delete }

        /// Permitted changes by action; refused ones of any action.
        public init(counting changes: some Sequence<some DecidedChange>) {
            self.init()
            for change in changes {
                guard change.decision.isPermitted else {
                    refused += 1
                    continue
                }
                switch change.action {
                case .create: create += 1
                case .update: update += 1
                case .delete: delete += 1
                }
            }
        }
    }
}
