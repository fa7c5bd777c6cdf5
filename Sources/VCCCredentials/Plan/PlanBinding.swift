/// Whether a saved plan still describes what would happen: a plan is bound to the
/// state file it was made against (lineage, serial, exact bytes), to the meaning of the
/// manifests, to the actor and to the tool version. Anything else is stale: fail closed.
public enum PlanBinding {
    /// The first binding that no longer holds, or nil when the plan is current.
    public static func staleness(
        of saved: PlanDocument, state: StateStore.Loaded, manifestsDigest: String?, actor: String?,
        toolVersion: String = version
    ) -> StalePlan? {
        if saved.toolVersion != toolVersion {
            return StalePlan(binding: "tool version", planned: saved.toolVersion, current: toolVersion)
        }
        if saved.state.lineage != state.state.lineage {
            return StalePlan(binding: "state lineage", planned: saved.state.lineage, current: state.state.lineage)
        }
        if saved.state.serial != state.state.serial {
            return StalePlan(binding: "state serial", planned: "\(saved.state.serial)", current: "\(state.state.serial)")
        }
        if saved.state.sha256 != state.sha256 {
            return StalePlan(binding: "state file contents", planned: saved.state.sha256, current: state.sha256)
        }
        if let manifestsDigest, saved.manifestsDigest != manifestsDigest {
            return StalePlan(binding: "manifests", planned: saved.manifestsDigest, current: manifestsDigest)
        }
        if let actor, saved.actor != actor {
            return StalePlan(binding: "acting user", planned: saved.actor, current: actor)
        }
        return nil
    }
}

/// A saved plan that no longer applies: which binding changed, from what to what.
public struct StalePlan: Error, Sendable, Hashable {
    public var binding: String
    public var planned: String
    public var current: String

    public init(binding: String, planned: String, current: String) {
        self.binding = binding
        self.planned = planned
        self.current = current
    }

    /// The binding for a plan whose changes differ from planning again on the same inputs.
    public static let changesBinding = "planned changes"

    /// "the state serial changed (planned 7, now 8)".
    public var explanation: String {
        if binding == Self.changesBinding {
            return "its changes differ from what planning the same inputs gives now (was it edited?)"
        }
        /// Digests are long; names and numbers are shown whole.
        func short(_ text: String) -> String { text.count == 64 ? String(text.prefix(12)) + "…" : text }
        return "the \(binding) changed since it was planned (planned \(short(planned)), now \(short(current)))"
    }
}

/// Applying a stale plan: refused, exit 4, nothing changed.
public struct StalePlanError: VCCError {
    public var planFile: String
    public var stale: StalePlan

    public var exitStatus: ExitStatus { .staleOrLocked }

    public var diagnostics: [Diagnostic] {
        [.error("stale plan: \(stale.explanation); nothing was applied. Plan again.", at: SourceLocation(file: planFile))]
    }
}
