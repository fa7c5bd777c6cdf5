/// The plan stages joined: manifest files -> ``Desired``, state file -> ``State``,
/// both -> ``Plan``. Each stage is a typed boundary; this type only sequences them.
public struct PlanPipeline: Sendable {
    public var environment: SystemEnvironment

    public init(environment: SystemEnvironment = .live) {
        self.environment = environment
    }

    /// Everything a plan was made from, for apply and saved plans.
    public struct Result: Sendable {
        public var desired: Desired
        public var state: StateStore.Loaded
        public var plan: Plan
    }

    public func loadManifests(_ directory: String) throws(DiagnosticsError) -> Desired {
        try ManifestLoader(fileSystem: environment.fileSystem).load(directory: directory)
    }

    public func plan(manifests directory: String, statePath: String, actor: String) throws -> Result {
        let desired = try loadManifests(directory)
        let state = try StateStore(environment: environment).load(statePath)
        let plan = try Planner.plan(desired: desired, state: state.state, actor: actor, statePath: statePath)
        return Result(desired: desired, state: state, plan: plan)
    }

    /// Renders a plan in the given format.
    public static func render(_ plan: Plan, format: PlanFormat, style: TextStyle) -> String {
        switch format {
        case .text: return PlanText.render(plan, style: style)
        case .json: return String(decoding: PlanJSON.render(plan), as: UTF8.self)
        }
    }
}
