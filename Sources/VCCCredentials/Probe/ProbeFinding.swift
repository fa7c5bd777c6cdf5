/// What the token endpoint said of one credential of the state.
public struct ProbeFinding: Sendable, Hashable {
    /// Whether the credential could be asked about, and what VCC answered.
    public enum Status: Sendable, Hashable {
        /// Its secret authenticates.
        case alive
        /// `invalid_client`: deleted, or its secret regenerated, in the portal.
        case rejected
        /// Not asked: why.
        case unchecked(UncheckedReason)
    }

    /// Why a credential was not asked about.
    public enum UncheckedReason: String, Sendable, Hashable {
        /// Adopted by `import`: vcc-creds never saw its secret.
        case secretNotHeld = "secret-not-held"
        /// No sealed file the key opens holds its current secret.
        case noFileOpens = "no-file-opens"
        /// An open portal step changes it: VCC may be part way to what the step says.
        case awaitingStep = "awaiting-step"

        public var sentence: String {
            switch self {
            case .secretNotHeld: return "secret not held (imported: vcc-creds never saw it)"
            case .noFileOpens: return "no sealed file the key opens holds its current secret"
            case .awaitingStep: return "an open portal step changes it: record the step, then probe it"
            }
        }
    }

    public var credential: Credential
    public var status: Status
    /// Declared scopes VCC gave a token for.
    public var held: ScopeSet = []
    /// Declared scopes VCC refused (`invalid_scope`).
    public var missing: ScopeSet = []
    /// Scopes beyond those declared that VCC gave a token for (`--excess` only).
    public var excess: ScopeSet = []

    public init(credential: Credential, status: Status) {
        self.credential = credential
        self.status = status
    }

    /// Whether VCC disagrees with the state about this credential.
    public var isDrift: Bool { status == .rejected || !missing.isEmpty || !excess.isEmpty }
}
