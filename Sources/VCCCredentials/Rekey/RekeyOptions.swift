/// What `vcc-creds rekey` was asked to do.
public struct RekeyOptions: Sendable {
    /// nil: `$VCC_CREDS_STATE`.
    public var statePath: String?
    /// nil: `$VCC_CREDS_MANIFESTS`, else `manifests`: who each file should be for.
    public var manifests: String?
    /// An `age-keygen` file whose key opens every file to rekey (the escrow's,
    /// typically); nil only for a dry run.
    public var identityFile: String?
    /// nil: `secrets/ACCOUNT`.
    public var sealedDir: String?
    /// List what would be rekeyed; write nothing.
    public var dryRun: Bool
    public var lockTimeout: LockTimeout

    public init(
        statePath: String?, manifests: String? = nil, identityFile: String?, sealedDir: String? = nil,
        dryRun: Bool = false, lockTimeout: LockTimeout = .none
    ) {
        self.statePath = statePath
        self.manifests = manifests
        self.identityFile = identityFile
        self.sealedDir = sealedDir
        self.dryRun = dryRun
        self.lockTimeout = lockTimeout
    }
}
