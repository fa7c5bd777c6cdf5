/// Whether a saved plan still describes what would happen: a plan is bound to the
/// state file it was made against (lineage, serial, exact bytes), to the meaning of the
/// manifests, to the actors (in order: the order decides who makes a change) and to the
/// tool version. Anything else is stale: fail closed.
public enum PlanBinding {
    /// The first binding that no longer holds, or nil when the plan is current.
    public static func staleness(
        of saved: PlanDocument, state: StateStore.Loaded, manifestsDigest: String?, actors: [String]?,
        toolVersion: String = version
    ) -> StalePlan? {
        if saved.toolVersion != toolVersion {
            return StalePlan(binding: .toolVersion, planned: saved.toolVersion, current: toolVersion)
        }
        if saved.state.lineage != state.state.lineage {
            return StalePlan(binding: .stateLineage, planned: saved.state.lineage, current: state.state.lineage)
        }
        if saved.state.serial != state.state.serial {
            return StalePlan(binding: .stateSerial, planned: "\(saved.state.serial)", current: "\(state.state.serial)")
        }
        if saved.state.sha256 != state.sha256 {
            return StalePlan(binding: .stateContents, planned: saved.state.sha256, current: state.sha256)
        }
        if let manifestsDigest, saved.manifestsDigest != manifestsDigest {
            return StalePlan(binding: .manifests, planned: saved.manifestsDigest, current: manifestsDigest)
        }
        if let actors, saved.actorIds != actors {
            return StalePlan(
                binding: .actors, planned: saved.actorIds.joined(separator: ", "),
                current: actors.joined(separator: ", "))
        }
        return nil
    }
}
