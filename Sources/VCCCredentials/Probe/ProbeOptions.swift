/// What `vcc-creds probe` was asked to check.
public struct ProbeOptions: Sendable {
    /// nil: `$VCC_CREDS_STATE`.
    public var statePath: String?
    /// The identity file (`age-keygen` format) that opens the sealed files.
    public var identityFile: String
    /// Credentials to check (client ID, `credential:CLIENT-ID`, `credential:OWNER/NAME` or
    /// `OWNER/NAME`); empty: every credential of the state.
    public var targets: [String]
    /// Also ask for every scope the owner's licence could grant beyond those declared.
    public var excess: Bool
    /// Where credentials' own sealed files are (`--sealed-dir`); nil: `secrets/ACCOUNT`.
    public var sealedDir: String?
    /// Bundles written elsewhere than `secrets/ACCOUNT-SERIAL.age` (`--sealed-out`).
    public var bundles: [String]
    /// Credentials checked at once (each checks its scopes one after another).
    public var concurrency: Int

    public static let defaultConcurrency = 4

    public init(
        statePath: String?, identityFile: String, targets: [String] = [], excess: Bool = false,
        sealedDir: String? = nil, bundles: [String] = [], concurrency: Int = ProbeOptions.defaultConcurrency
    ) {
        self.statePath = statePath
        self.identityFile = identityFile
        self.targets = targets
        self.excess = excess
        self.sealedDir = sealedDir
        self.bundles = bundles
        self.concurrency = concurrency
    }
}
