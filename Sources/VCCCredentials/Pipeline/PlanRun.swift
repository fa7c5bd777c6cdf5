/// One plan run: the manifests and the state in, the plan bound to both out. `plan`,
/// `show` and `apply` all plan through it, so a saved plan is checked against exactly
/// what planning gives, the same way everywhere.
public struct PlanRun: Sendable {
    public var desired: Desired
    public var state: StateStore.Loaded
    public var plan: Plan
    /// ``Desired/digest``: what the plan is bound to on the manifests' side.
    public var manifestsDigest: String
    /// VCC's users taken in before planning (`--refresh`); `state` holds them already.
    public var refresh: StateRefresh?

    /// Plans `desired` against `state` as `actors` at `context`'s time, computing the
    /// manifests' digest at the same time. `index` is the state's, when built beforehand.
    /// With `refresh`, the plan is made against the state's users as VCC has them.
    public init(
        desired: Desired, state: StateStore.Loaded, actors: [String], context: PlanContext,
        refresh: StateRefresh? = nil
    ) throws(PlanError) {
        try self.init(desired: desired, state: state, index: nil, actors: actors, context: context, refresh: refresh)
    }

    init(
        desired: Desired, state loaded: StateStore.Loaded, index: StateIndex?, actors: [String], context: PlanContext,
        refresh: StateRefresh? = nil
    ) throws(PlanError) {
        var state = refresh?.applied(to: loaded) ?? loaded
        var index = refresh == nil ? index : nil
        // A scope the manifests declare differently from the state is as they say now.
        if let resolved = state.state.resolvingScopes(with: desired.settings.scopes) {
            state.state = resolved
            index = nil
        }
        let planning: () throws(PlanError) -> Plan = {
            try Planner.plan(
                desired: desired, state: state.state, index: index ?? StateIndex(state.state), actors: actors,
                statePath: state.path, context: context)
        }
        let digesting: @Sendable () throws(PlanError) -> String = { desired.digest }
        var (plan, digest) = try Parallel.both(planning, digesting)
        if state.state.credentials.contains(where: { $0.sealedTo != nil }) {
            let visibility = Visibility(actors: plan.actors)
            plan.sealedFilesToRekey =
                RekeyItem.all(in: state.state, directory: RecipientDirectory(desired), visible: visibility.canSee).count
        }
        self.desired = desired
        self.state = state
        self.plan = plan
        self.refresh = refresh
        manifestsDigest = digest
    }

    /// The plan bound to its inputs, as rendered and saved.
    public func document(inputs: PlanDocument.Inputs? = nil) -> PlanDocument {
        var document = PlanDocument(plan, stateSHA256: state.sha256, manifestsDigest: manifestsDigest, inputs: inputs)
        document.refreshed = refresh?.summary(visibility: Visibility(actors: plan.actors), state: state.state)
        return document
    }

    /// Why `saved` does not describe this run, or nil when it does: every binding holds
    /// (state, manifests, actors, tool) and planning again gave the same changes. A plan
    /// whose inputs all match but whose changes differ was edited: stale too.
    ///
    /// Planning again must use the saved plan's ``PlanDocument/context`` (its time and
    /// rotations asked for), so a plan that only time has overtaken still applies as
    /// reviewed.
    public func staleness(of saved: PlanDocument) -> StalePlan? {
        staleness(of: saved, now: nil)
    }

    /// As ``staleness(of:)``, and, applied at `now`, bound to time: a plan made later than
    /// `now` (a skewed clock would delete a predecessor before its overlap ends), or one
    /// an expiry has overtaken (it would create or keep what has expired), is stale. A
    /// few minutes of skew between machines are allowed.
    public func staleness(of saved: PlanDocument, now: Timestamp?) -> StalePlan? {
        if let stale = PlanBinding.staleness(
            of: saved, state: state, manifestsDigest: manifestsDigest, actors: plan.actors.map(\.id))
        {
            return stale
        }
        // A plan made with --refresh applies only while VCC's users are as it read them.
        if let planned = saved.refreshed {
            let current = refresh?.digest ?? "not read"
            if planned.usersSHA256 != current {
                return StalePlan(binding: .vccUsers, planned: planned.usersSHA256, current: current)
            }
        }
        if let now {
            if saved.plannedAt.seconds > now.seconds + Self.allowedSkew {
                return StalePlan(binding: .plannedInFuture, planned: saved.plannedAt.text, current: now.text)
            }
            let visibility = Visibility(actors: plan.actors)
            if let overtaken = desired.credentials.first(where: { entry in
                guard let expires = entry.expires, expires > saved.plannedAt, expires <= now else { return false }
                return visibility.canSee(level: entry.spec.level, owner: entry.spec.owner)
            }) {
                return StalePlan(
                    binding: .expiryPassed,
                    planned: "credential \(CredentialAddress(overtaken.spec))",
                    current: overtaken.expires!.text)
            }
        }
        let current = document()
        // The notices too: a saved plan must not hide a rotation or an expiry from a reviewer.
        guard
            !saved.changes.elementsEqual(current.changes, by: { $0.content == $1.content })
                || saved.rotating != current.rotating || saved.expiring != current.expiring
                || saved.leftOut != current.leftOut || saved.refreshed != current.refreshed
        else { return nil }
        return StalePlan(
            binding: .changes, planned: PlanFile.digest(saved), current: PlanFile.digest(current))
    }

    /// Seconds a saved plan's `plannedAt` may be ahead of the apply's clock.
    static let allowedSkew: Int64 = 300
}
