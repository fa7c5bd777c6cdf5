/// `show`: a saved plan, and whether it still describes what applying it would do.
public struct ShowPipeline: Sendable {
    public var environment: SystemEnvironment

    public init(environment: SystemEnvironment = .live) {
        self.environment = environment
    }

    public struct Shown: Sendable {
        public var document: PlanDocument
        /// Why the plan is stale, or why staleness could not be checked.
        public var warnings: [String]
    }

    /// Reads the plan, then checks it against the state and manifests it records (or
    /// those given): its bindings first, then a fresh ``PlanRun`` as its actor.
    public func show(planFile: String, state: String?, manifests: String?) throws -> Shown {
        let document = try PlanFile.load(planFile, fileSystem: environment.fileSystem)
        guard let statePath = state ?? document.inputs?.state else {
            return Shown(document: document, warnings: ["not checked for staleness: pass --state"])
        }
        let manifestsPath = manifests ?? document.inputs?.manifests
        var warnings: [String] = []
        do {
            let loaded = try StateStore(environment: environment).load(statePath)
            let desired = try manifestsPath.map { try ManifestLoader(fileSystem: environment.fileSystem).load(directory: $0) }
            // Bindings first: manifests that changed are stale even when they no longer plan.
            var stale = PlanBinding.staleness(of: document, state: loaded, manifestsDigest: desired?.digest, actor: nil)
            if stale == nil, let desired {
                stale = try PlanRun(desired: desired, state: loaded, actor: document.actor).staleness(of: document)
            }
            if let stale { warnings.append("stale plan: \(stale.explanation); applying it would be refused") }
        } catch {
            warnings.append("could not check for staleness: \(error)")
        }
        return Shown(document: document, warnings: warnings)
    }
}
