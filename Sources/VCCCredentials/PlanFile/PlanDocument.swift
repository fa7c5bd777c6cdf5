/// A plan as people and files see it: what `plan --format json` prints, `--out` saves,
/// and every renderer draws. Made from a ``Plan`` or read back from a saved plan file, so
/// `show` renders a saved plan exactly as `plan` rendered it.
public struct PlanDocument: DecidedChanges, Sendable, Hashable {
    /// 2: several actors (`actors`, and `by` on each permitted change).
    /// 3: `plannedAt`, rotation and expiry (`lifecycle` on changes, `rotating`,
    /// `expiring`, `rotations`).
    public static let formatVersion = 3

    public var account: String
    /// The users the plan was made for (`--as`), in order, with their licences when
    /// planned; shown in headers.
    public var actors: [Actor]
    public var state: StateBinding
    public var manifestsDigest: String
    public var toolVersion: String
    /// Saved plans only: the paths planned from, so `show` can tell whether it is stale.
    public var inputs: Inputs?
    public var changes: [Entry]
    public var hidden: Plan.Hidden
    public var unmanaged: Plan.Unmanaged
    /// Portal steps open in the state (that the actors can see), in order: under way,
    /// so not in `changes`.
    public var awaiting: [Awaiting]
    /// ``Plan/sealedFilesToRekey``.
    public var sealedFilesToRekey: Int
    /// When the plan was made: what its rotations and expiries were decided at.
    public var plannedAt: Timestamp
    /// ``Plan/rotationRequests``.
    public var rotationRequests: [RotationRequest] = []
    /// ``Plan/rotating``.
    public var rotating: [RotationNotice] = []
    /// ``Plan/expiring``.
    public var expiring: [ExpiryNotice] = []
    /// ``Plan/targeting``: empty for a whole plan.
    public var targeting = Targeting()
    /// ``Plan/leftOut``.
    public var leftOut = 0
    /// Set when the plan was made with `--refresh`: VCC's users as read then. Apply
    /// takes them into the state with the changes, and only while VCC still says so.
    public var refreshed: Refreshed?

    /// What a refreshing plan read from VCC's User Admin API.
    public struct Refreshed: Sendable, Hashable {
        /// VCC users read (Vonage's own left out).
        public var observed: Int
        /// ``StateRefresh/digest``: the state's users as VCC had them.
        public var usersSHA256: String
        public var drift: [Drift]

        /// One difference, as the refresh report words it.
        public struct Drift: Sendable, Hashable {
            public var user: String
            /// ``UserDrift/Kind/name``.
            public var kind: String
            /// `+` VCC has it, `-` VCC lacks or archived it, `~` it differs.
            public var sign: String
            public var detail: String
        }
    }

    static func impact(of change: Change, sensitive: ScopeSet) -> ScopeImpact? {
        guard case .credential(_, let before, let after) = change.subject else { return nil }
        return ScopeImpact(action: change.action, before: before?.scopes, after: after?.scopes, sensitive: sensitive)
    }

    /// Sensitive scopes granted by the plan's changes, with the changes granting them.
    public var sensitiveGrants: [(entry: Entry, scopes: [String])] {
        changes.compactMap { entry in
            guard let scopes = entry.impact?.sensitive, !scopes.isEmpty else { return nil }
            return (entry, scopes)
        }
    }

    /// What planning again must be given to decide as this plan did: its time and its
    /// rotations asked for.
    public var context: PlanContext { PlanContext(now: plannedAt, rotations: rotationRequests, targeting: targeting) }

    /// An open portal step as a plan shows it.
    public struct Awaiting: Sendable, Hashable {
        public var id: ChangeID
        public var action: Action
        public var target: ChangeTarget
        /// The VCC user who must do it.
        public var by: String
        public var plannedAt: Timestamp

        public var kind: ChangeSubject.Kind {
            if case .user = target { return .user }
            return .credential
        }

        public init(id: ChangeID, action: Action, target: ChangeTarget, by: String, plannedAt: Timestamp) {
            self.id = id
            self.action = action
            self.target = target
            self.by = by
            self.plannedAt = plannedAt
        }

        init(_ step: PendingStep) {
            self.init(
                id: step.id, action: step.action, target: ChangeTarget(step.subject), by: step.by,
                plannedAt: step.plannedAt)
        }
    }

    public struct Actor: Sendable, Hashable {
        public var id: String
        public var license: License

        public init(id: String, license: License) {
            self.id = id
            self.license = license
        }
    }

    /// The actors' ids, in order: what a saved plan is bound to.
    public var actorIds: [String] { actors.map(\.id) }

    /// The state a plan was made against: a saved plan applies to this exact file only.
    public struct StateBinding: Sendable, Hashable {
        public var lineage: String
        public var serial: Int
        /// Lowercase hex SHA-256 of the state file's bytes.
        public var sha256: String
    }

    public struct Inputs: Sendable, Hashable {
        public var state: String
        public var manifests: String

        public init(state: String, manifests: String) {
            self.state = state
            self.manifests = manifests
        }
    }

    /// One change as displayed: its target and field diff rather than whole records.
    public struct Entry: DecidedChange, Sendable, Hashable {
        public var id: ChangeID
        public var action: Action
        public var target: ChangeTarget
        public var diff: [FieldDiff]
        public var decision: Decision
        public var dependsOn: [ChangeID]
        /// Where the change's manifest entry is, `file:line:column`: written for refused
        /// changes (where to look) and for changes time made (the entry whose rotation or
        /// expiry it is), nil for a prune's deletion.
        public var location: String?
        /// ``Change/lifecycle``.
        public var lifecycle: Lifecycle?
        /// For a credential create or scope update: the APIs it gains and loses, and the
        /// sensitive scopes it grants.
        public var impact: ScopeImpact?

        /// The change as a saved plan must match it: locations name files as the run
        /// spelled them (`manifests/` or `./manifests/`), which is no change at all.
        var content: Entry {
            var entry = self
            entry.location = nil
            return entry
        }

        public var kind: ChangeSubject.Kind {
            if case .user = target { return .user }
            return .credential
        }

        /// The owner a change is grouped under: a credential's owner, a user's own id.
        public var owner: String? { target.owner }
    }

    /// The plan bound to what it was made from: the state file's bytes (`stateSHA256`)
    /// and the manifests' meaning (``Desired/digest``).
    public init(
        _ plan: Plan, stateSHA256: String, manifestsDigest: String, inputs: Inputs? = nil, toolVersion: String = version
    ) {
        account = plan.account
        actors = plan.actors.map { Actor(id: $0.id, license: $0.license) }
        state = StateBinding(lineage: plan.stateLineage, serial: plan.stateSerial, sha256: stateSHA256)
        self.manifestsDigest = manifestsDigest
        self.toolVersion = toolVersion
        self.inputs = inputs
        // Scope sets are a few bits: every (action, before, after) impact is worked out once.
        struct ImpactKey: Hashable {
            var action: Action
            var before: ScopeSet?
            var after: ScopeSet?
        }
        var impacts: [ImpactKey: ScopeImpact?] = [:]
        func impact(of change: Change) -> ScopeImpact? {
            guard case .credential(_, let before, let after) = change.subject else { return nil }
            let key = ImpactKey(action: change.action, before: before?.scopes, after: after?.scopes)
            if let known = impacts[key] { return known }
            let computed = Self.impact(of: change, sensitive: plan.sensitiveScopes)
            impacts[key] = computed
            return computed
        }
        changes = plan.changes.map { change in
            Entry(
                id: change.id, action: change.action, target: ChangeTarget(change.subject), diff: change.diff,
                decision: change.decision, dependsOn: change.dependsOn,
                // Where to look: a refusal's entry, and the entry whose rotation or expiry made a change.
                location: change.decision.isPermitted && change.lifecycle == nil ? nil : change.location?.description,
                lifecycle: change.lifecycle, impact: impact(of: change))
        }
        hidden = plan.hidden
        unmanaged = plan.unmanaged
        awaiting = plan.awaiting.map(Awaiting.init)
        sealedFilesToRekey = plan.sealedFilesToRekey
        plannedAt = plan.plannedAt
        rotationRequests = plan.rotationRequests
        rotating = plan.rotating
        expiring = plan.expiring
        targeting = plan.targeting
        leftOut = plan.leftOut
    }

    init(
        account: String, actors: [Actor], state: StateBinding, manifestsDigest: String,
        toolVersion: String, inputs: Inputs?, changes: [Entry], hidden: Plan.Hidden, unmanaged: Plan.Unmanaged,
        awaiting: [Awaiting] = [], sealedFilesToRekey: Int = 0, plannedAt: Timestamp,
        rotationRequests: [RotationRequest] = [], rotating: [RotationNotice] = [], expiring: [ExpiryNotice] = []
    ) {
        self.account = account
        self.actors = actors
        self.state = state
        self.manifestsDigest = manifestsDigest
        self.toolVersion = toolVersion
        self.inputs = inputs
        self.changes = changes
        self.hidden = hidden
        self.unmanaged = unmanaged
        self.awaiting = awaiting
        self.sealedFilesToRekey = sealedFilesToRekey
        self.plannedAt = plannedAt
        self.rotationRequests = rotationRequests
        self.rotating = rotating
        self.expiring = expiring
    }
}

extension PlanDocument {
    /// Whether time decided part of the plan (a rotation, an expiry): then its time is shown.
    public var dependsOnTime: Bool {
        !rotating.isEmpty || !expiring.isEmpty || !rotationRequests.isEmpty || changes.contains { $0.lifecycle != nil }
    }
}
