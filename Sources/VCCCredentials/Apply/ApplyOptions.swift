/// What `vcc-creds apply` was asked to do.
public struct ApplyOptions: Sendable {
    /// A plan saved by `plan --out`: applied only if every binding still holds.
    public var planFile: String?
    public var manifests: String
    public var statePath: String
    public var actor: String
    /// `--recipient` values, added to the manifests' `settings.recipients`.
    public var recipients: [String]
    /// `--recipients-file`: one recipient per line, `#` comments allowed.
    public var recipientsFile: String?
    /// `--sealed-out`; default `secrets/ACCOUNT-SERIAL.age`.
    public var sealedOut: String?
    /// Apply nothing when anything is refused.
    public var allOrNothing: Bool
    /// Seconds to wait for another run's lock.
    public var lockTimeout: Double

    public init(
        planFile: String? = nil, manifests: String = "manifests", statePath: String, actor: String, recipients: [String] = [],
        recipientsFile: String? = nil, sealedOut: String? = nil, allOrNothing: Bool = false, lockTimeout: Double = 0
    ) {
        self.planFile = planFile
        self.manifests = manifests
        self.statePath = statePath
        self.actor = actor
        self.recipients = recipients
        self.recipientsFile = recipientsFile
        self.sealedOut = sealedOut
        self.allOrNothing = allOrNothing
        self.lockTimeout = lockTimeout
    }
}
