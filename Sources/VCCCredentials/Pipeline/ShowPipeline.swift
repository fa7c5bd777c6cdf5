/// `show`: a saved plan, and whether it still describes what applying it would do.
public struct ShowPipeline: Sendable {
    public var environment: SystemEnvironment

    public init(environment: SystemEnvironment = .live) {
        self.environment = environment
    }

    public struct Shown: Sendable {
        public var document: PlanDocument
        /// Why the plan is stale, or why staleness could not be checked.
        public var warnings: [Diagnostic]
    }

    /// Reads the plan, then checks it against the state and manifests it records (or
    /// those given): its bindings first, then a fresh ``PlanRun`` as its actors.
    public func show(planFile: String, state: String?, manifests: String?) throws -> Shown {
        let document = try PlanFile.load(planFile, fileSystem: environment.fileSystem)
        let plan = SourceLocation(file: planFile)
        // The flags, else what the plan records, else the environment's (PathDefaults).
        let variables = environment.variables
        guard let statePath = PathDefaults.state(state ?? document.inputs?.state, variables: variables) else {
            return Shown(
                document: document,
                warnings: [.warning("not checked for staleness: \(PathDefaults.stateHint)", at: plan)])
        }
        let manifestsPath = PathDefaults.manifests(manifests ?? document.inputs?.manifests, variables: variables)
        var warnings: [Diagnostic] = []
        do {
            let loaded = try StateStore(environment: environment).load(statePath)
            let desired = try manifestsPath.map {
                try ManifestLoader(fileSystem: environment.fileSystem).load(directory: $0)
            }
            // Bindings first: manifests that changed are stale even when they no longer plan.
            var stale = PlanBinding.staleness(
                of: document, state: loaded, manifestsDigest: desired?.digest, actors: nil)
            // A refreshing plan is planned against VCC's users, which `show` does not read:
            // its bindings are checked here, VCC's answer and the changes by apply.
            let offline = document.refreshed != nil
            if stale == nil, let desired, !offline {
                stale = try PlanRun(
                    desired: desired, state: loaded, actors: document.actorIds,
                    context: document.context
                ).staleness(of: document)
            }
            if let stale {
                warnings.append(.warning("stale plan: \(stale.explanation); applying it would be refused", at: plan))
            } else if offline {
                warnings.append(
                    .warning(
                        "checked against the state and manifests only: the plan was made with --refresh, and apply "
                            + "checks it against VCC's users",
                        at: plan))
            } else if desired == nil {
                // Without the manifests nothing can plan again: an edited change would pass.
                warnings.append(
                    .warning(
                        "checked against the state only, not the manifests (the plan records none): pass --manifests",
                        at: plan))
            }
        } catch {
            // Why, as notes: the plan is shown all the same, so nothing here is an error.
            let why = (error as? any VCCError)?.diagnostics.map(\.asNote) ?? [.note("\(error)")]
            warnings.append(.warning("could not check for staleness", at: plan, notes: why))
        }
        return Shown(document: document, warnings: warnings)
    }
}
