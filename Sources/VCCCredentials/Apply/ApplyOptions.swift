/// What `vcc-creds apply` was asked to do.
public struct ApplyOptions: Sendable {
    /// A plan saved by `plan --out`: applied only if every binding still holds.
    public var planFile: String?
    /// nil: the saved plan's, else `$VCC_CREDS_MANIFESTS`, else `manifests`.
    public var manifests: String?
    /// nil: the saved plan's, else `$VCC_CREDS_STATE` (an error without either).
    public var statePath: String?
    /// The users the run acts as (`--as`), in order; empty: the saved plan's actors (an
    /// error without a saved plan).
    public var actors: [String]
    /// `--recipient` values, added to the manifests' `settings.recipients` for the bundle.
    public var recipients: [String]
    /// `--recipients-file`: one recipient per line, `#` comments allowed.
    public var recipientsFile: String?
    /// `--sealed-out`; default `secrets/ACCOUNT-SERIAL.age`.
    public var sealedOut: String?
    /// `--sealed-dir`; default `secrets/ACCOUNT`: credentials' own sealed files and their
    /// index.
    public var sealedDir: String?
    /// Apply nothing when anything is refused.
    public var allOrNothing: Bool
    /// `--target` / `--exclude`: apply only part of the plan (not with a saved plan,
    /// which records its own).
    public var targeting: Targeting
    /// How long to wait for another run's lock.
    public var lockTimeout: LockTimeout
    /// Whether a person at a terminal is asked first (`--auto-approve`: never).
    public var approval: ApplyApproval
    /// `--refresh`: plan against VCC's users, and take them into the state with the
    /// changes (a saved plan made with `--refresh` refreshes without it).
    public var refresh = false

    public init(
        planFile: String? = nil, manifests: String? = nil, statePath: String?, actors: [String],
        recipients: [String] = [],
        recipientsFile: String? = nil, sealedOut: String? = nil, sealedDir: String? = nil, allOrNothing: Bool = false,
        targeting: Targeting = Targeting(), lockTimeout: LockTimeout = .none,
        approval: ApplyApproval = .ask(style: .plain)
    ) {
        self.planFile = planFile
        self.manifests = manifests
        self.statePath = statePath
        self.actors = actors
        self.recipients = recipients
        self.recipientsFile = recipientsFile
        self.sealedOut = sealedOut
        self.sealedDir = sealedDir
        self.allOrNothing = allOrNothing
        self.targeting = targeting
        self.lockTimeout = lockTimeout
        self.approval = approval
    }
}
