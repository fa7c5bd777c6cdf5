/// What `vcc-creds record` was asked to do: close one open portal step.
public struct RecordOptions: Sendable {
    /// How the step ended in the portal.
    public enum Outcome: Sendable {
        /// A credential created in the portal: the client ID and the secret it showed
        /// once. The secret is sealed at once and never kept.
        case created(clientId: String, secret: PresentedSecret)
        /// An edit or a deletion (or a user change) made as the runbook says.
        case done
        /// The step will not be done.
        case abandoned(reason: String)
    }

    /// nil: `$VCC_CREDS_STATE`.
    public var statePath: String?
    /// nil: `$VCC_CREDS_MANIFESTS`, else `manifests`: read for `settings.recipients`.
    public var manifests: String?
    /// The step's id, as the runbook and `pending` show it.
    public var stepId: String
    public var outcome: Outcome
    public var recipients: [String]
    public var recipientsFile: String?
    /// Default `secrets/ACCOUNT-SERIAL.age`, as apply's.
    public var sealedOut: String?
    /// Default `secrets/ACCOUNT`, as apply's.
    public var sealedDir: String?
    public var lockTimeout: LockTimeout
    /// The scopes VCC gave the created credential a token for (``Recorder/verify(_:statePath:clientId:secret:connection:)``);
    /// nil: not checked (`--no-verify`), which the audit line says.
    public var verifiedScopes: ScopeSet?

    public init(
        statePath: String?, manifests: String? = nil, stepId: String, outcome: Outcome, recipients: [String] = [],
        recipientsFile: String? = nil, sealedOut: String? = nil, sealedDir: String? = nil,
        lockTimeout: LockTimeout = .none, verifiedScopes: ScopeSet? = nil
    ) {
        self.verifiedScopes = verifiedScopes
        self.statePath = statePath
        self.manifests = manifests
        self.stepId = stepId
        self.outcome = outcome
        self.recipients = recipients
        self.recipientsFile = recipientsFile
        self.sealedOut = sealedOut
        self.sealedDir = sealedDir
        self.lockTimeout = lockTimeout
    }
}
