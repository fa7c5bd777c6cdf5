/// `show`: a saved plan, and whether it is still current.
public struct PlanShower: Sendable {
    public var environment: SystemEnvironment

    public init(environment: SystemEnvironment = .live) {
        self.environment = environment
    }

    public struct Shown: Sendable {
        public var document: PlanDocument
        /// Why the plan is stale, or why staleness could not be checked.
        public var warnings: [String]
    }

    public func show(planFile: String, state: String?, manifests: String?) throws -> Shown {
        let document = try PlanFile.load(planFile, fileSystem: environment.fileSystem)
        var warnings: [String] = []
        let statePath = state ?? document.inputs?.state
        let manifestsPath = manifests ?? document.inputs?.manifests
        guard let statePath else {
            return Shown(document: document, warnings: ["not checked for staleness: pass --state"])
        }
        do {
            let loaded = try StateStore(environment: environment).load(statePath)
            let desired = try manifestsPath.map { try ManifestLoader(fileSystem: environment.fileSystem).load(directory: $0) }
            if let stale = PlanBinding.staleness(of: document, state: loaded, manifestsDigest: desired?.digest, actor: nil) {
                warnings.append("stale plan: \(stale.explanation); applying it would be refused")
            } else if let desired {
                // Current inputs: the plan must be what planning them gives, or it was edited.
                let fresh = try Planner.plan(desired: desired, state: loaded.state, actor: document.actor, statePath: statePath)
                if PlanDocument(fresh, stateSHA256: loaded.sha256).changes != document.changes {
                    let stale = StalePlan(binding: StalePlan.changesBinding, planned: "", current: "")
                    warnings.append("stale plan: \(stale.explanation); applying it would be refused")
                }
            }
        } catch {
            warnings.append("could not check for staleness: \(error)")
        }
        return Shown(document: document, warnings: warnings)
    }
}
