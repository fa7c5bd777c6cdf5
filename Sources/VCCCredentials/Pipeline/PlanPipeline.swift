/// The plan stages joined: manifest files -> ``Desired``, state file -> ``State``,
/// both -> ``Plan``. Each stage is a typed boundary; this type only sequences them.
public struct PlanPipeline: Sendable {
    public var environment: SystemEnvironment

    public init(environment: SystemEnvironment = .live) {
        self.environment = environment
    }

    public func loadManifests(_ directory: String) throws(DiagnosticsError) -> Desired {
        try ManifestLoader(fileSystem: environment.fileSystem).load(directory: directory)
    }

    /// Reads the manifests and the state, then plans them as `actors`, at `context`'s time
    /// (default: now, by the environment's clock).
    public func plan(manifests directory: String, statePath: String, actors: [String], context: PlanContext? = nil)
        throws -> PlanRun
    {
        let (desired, state, index) = try load(manifests: directory, statePath: statePath)
        return try PlanRun(
            desired: desired, state: state, index: index, actors: actors,
            context: context ?? PlanContext(now: Timestamp(environment.clock.now())))
    }

    /// As ``plan(manifests:statePath:actors:context:)``, against the state as a probe
    /// report says VCC has its credentials (`--probe-report`): rejected ones gone, scopes
    /// as VCC gave tokens for. For review: nothing is written, and such a plan is not
    /// saved. Also what was taken from the report, as warnings.
    public func plan(
        manifests directory: String, statePath: String, actors: [String], context: PlanContext? = nil,
        probeReport path: String
    ) throws -> (run: PlanRun, notes: [Diagnostic]) {
        let bytes = try environment.fileSystem.readFile(at: path, maxBytes: ProbeReportFile.maxBytes)
        let report = try ProbeReportFile.read(bytes, file: path)
        var (desired, state, _) = try load(manifests: directory, statePath: statePath)
        let (probed, notes) = try report.applied(to: state.state, path: path)
        state.state = probed
        let run = try PlanRun(
            desired: desired, state: state, index: StateIndex(probed), actors: actors,
            context: context ?? PlanContext(now: Timestamp(environment.clock.now())))
        return (run, notes)
    }

    /// As ``plan(manifests:statePath:actors:context:)``, refreshing first (`--refresh`):
    /// `users` reads VCC's users in the manifests' `settings.region` (nil: undeclared),
    /// and they are taken into the state in memory before planning. Nothing is written.
    public func plan(
        manifests directory: String, statePath: String, actors: [String], context: PlanContext? = nil,
        refreshingWith users: (Region?) async throws -> [RemoteUser]
    ) async throws -> PlanRun {
        let (desired, state, _) = try load(manifests: directory, statePath: statePath)
        let remote = try await users(desired.settings.region)
        return try PlanRun(
            desired: desired, state: state, index: nil, actors: actors,
            context: context ?? PlanContext(now: Timestamp(environment.clock.now())),
            refresh: StateRefresh(state: state.state, remote: remote))
    }

    func load(manifests directory: String, statePath: String) throws -> (
        Desired, StateStore.Loaded, StateIndex
    ) {
        // The manifests and the state do not depend on each other: read them side by side,
        // the state's index built meanwhile (what that gained: bench/RESULTS.md, "What
        // moved the numbers").
        let environment = environment
        let (desired, (state, index)) = try Parallel.both(
            { try loadManifests(directory) },
            {
                var state = try StateStore(environment: environment).load(statePath)
                // A plan needs the state's digest, not its bytes: free them early.
                state.bytes = []
                return (state, StateIndex(state.state))
            })
        return (desired, state, index)
    }

    /// Writes a saved plan: see ``PlanFile/save(_:to:environment:)``.
    public func save(_ document: PlanDocument, to path: String) throws {
        try PlanFile.save(document, to: path, environment: environment)
    }

    /// Renders a plan in the given format; `now` dates open portal steps.
    public static func render(_ plan: PlanDocument, format: PlanFormat, style: TextStyle, now: Timestamp? = nil)
        -> String
    {
        switch format {
        case .text: return PlanText.render(plan, style: style, now: now)
        case .json: return String(decoding: PlanFile.encode(plan), as: UTF8.self)
        case .markdown: return PlanMarkdown.render(plan, now: now)
        }
    }
}
