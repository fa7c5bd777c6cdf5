/// A saved plan that no longer applies: which binding changed, from what to what.
public struct StalePlan: Sendable, Hashable {
    /// What a saved plan is bound to, in the order ``PlanBinding`` checks them.
    public enum Binding: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
        case toolVersion = "tool version"
        case stateLineage = "state lineage"
        case stateSerial = "state serial"
        case stateContents = "state file contents"
        case manifests
        /// VCC's users, for a plan made with `--refresh`.
        case vccUsers = "VCC users"
        case actors = "acting users"
        /// The plan's own changes differ from planning its inputs again: it was edited.
        case changes = "planned changes"
        /// The plan was made later than the apply's clock says it is now.
        case plannedInFuture = "time it was planned"
        /// An entry's `expires` came between planning and applying.
        case expiryPassed = "expiry"

        /// As messages name it: "the state serial changed".
        public var description: String { rawValue }
    }

    public var binding: Binding
    public var planned: String
    public var current: String

    public init(binding: Binding, planned: String, current: String) {
        self.binding = binding
        self.planned = planned
        self.current = current
    }

    /// "the state serial changed since it was planned (planned 7, now 8)".
    public var explanation: String {
        if binding == .changes {
            return "its changes differ from what planning the same inputs gives now (was it edited?)"
        }
        if binding == .plannedInFuture {
            return "it was planned at \(planned), later than now (\(current)): check the clocks (VCC_CREDS_NOW)"
        }
        if binding == .expiryPassed {
            return
                "\(planned) expired since it was planned (at \(current)): what it creates or keeps may no longer be "
                + "wanted"
        }
        /// Digests are long; names and numbers are shown whole.
        func short(_ text: String) -> String { text.count == 64 ? String(text.prefix(12)) + "…" : text }
        return "the \(binding) changed since it was planned (planned \(short(planned)), now \(short(current)))"
    }
}
