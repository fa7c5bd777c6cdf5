/// Where and as whom a run talks to VCC: the region's hosts (or replacements for tests
/// and proxies), the tool's own credential and the client-side rate limit. Read from
/// the environment once per run (and, once the manifests declare it, `settings.region`).
public struct ConnectionSettings: Sendable {
    public var tokenURL: RemoteURL
    public var userAdminURL: RemoteURL
    /// The tool's own credential; nil for a run that only asks the token endpoint about
    /// credentials whose secrets it holds (`probe`, `record`).
    public var credential: ClientCredential?
    /// Requests a minute, at most (``defaultRateLimit`` unless `VCC_CREDS_RATE_LIMIT`).
    public var rateLimit: Int
    /// Seconds without a byte of an answer before a request is given up
    /// (``defaultReadTimeout`` unless `VCC_CREDS_HTTP_TIMEOUT`).
    public var readTimeout: Int = ConnectionSettings.defaultReadTimeout

    public static let defaultReadTimeout = 30
    public static let readTimeouts = 1...600

    /// Vonage's own samples throttle to about 160 a minute; VCC's limit is shared by every
    /// API of the account and unpublished, so the tool stays under it.
    public static let defaultRateLimit = 150
    public static let rateLimits = 1...6000

    public init(tokenURL: RemoteURL, userAdminURL: RemoteURL, credential: ClientCredential?, rateLimit: Int) {
        self.tokenURL = tokenURL
        self.userAdminURL = userAdminURL
        self.credential = credential
        self.rateLimit = rateLimit
    }

    /// The variables a run reads.
    public enum Variable {
        public static let region = "VCC_CREDS_REGION"
        public static let clientId = "VCC_CREDS_CLIENT_ID"
        public static let clientSecret = "VCC_CREDS_CLIENT_SECRET"
        public static let clientSecretFile = "VCC_CREDS_CLIENT_SECRET_FILE"
        public static let tokenURL = "VCC_CREDS_TOKEN_URL"
        public static let userAdminURL = "VCC_CREDS_USERADMIN_URL"
        public static let rateLimit = "VCC_CREDS_RATE_LIMIT"
        public static let readTimeout = "VCC_CREDS_HTTP_TIMEOUT"
    }

    /// Reads the settings. `manifestRegion` is the manifests' `settings.region`, when the
    /// run has manifests; a `VCC_CREDS_REGION` that disagrees with it is an error, not a
    /// silent choice. `tokenOnly`: a run that only asks the token endpoint about the
    /// credentials it checks, as each of them (`probe`, `record`): no credential of the
    /// tool's is read, and no User Admin API is needed.
    public static func read(
        environment: SystemEnvironment, manifestRegion: Region? = nil, tokenOnly: Bool = false
    ) throws(RemoteError) -> ConnectionSettings {
        let variables = environment.variables
        func value(_ name: String) -> String? {
            guard let text = variables[name], !text.isEmpty else { return nil }
            return text
        }
        var region = manifestRegion
        if let text = value(Variable.region) {
            guard let fromEnvironment = Region(rawValue: text.lowercased()) else {
                throw .setting(
                    "\(Variable.region) is \(Quoted.of(Printable.escaped(text))); a region is \(Region.spelled)")
            }
            if let manifestRegion, manifestRegion != fromEnvironment {
                throw .setting(
                    "\(Variable.region) is '\(fromEnvironment.rawValue)' but the manifests' settings.region is "
                        + "'\(manifestRegion.rawValue)': unset one")
            }
            region = fromEnvironment
        }
        func url(_ name: String, default fallback: RemoteURL?, what: String) throws(RemoteError) -> RemoteURL {
            if let text = value(name) {
                switch RemoteURL.parse(text) {
                case .success(let url): return url
                case .failure(let problem):
                    throw .setting("\(name) \(Quoted.of(Printable.escaped(text))) \(problem.message)")
                }
            }
            guard let fallback else {
                throw .setting(
                    "no VCC region: set \(Variable.region) (\(Region.spelled)), "
                        + "or \(name) for the \(what)")
            }
            return fallback
        }
        let tokenURL = try url(Variable.tokenURL, default: region?.tokenURL, what: "token endpoint")
        // A token-only run never calls the User Admin API: the token URL stands in.
        let userAdminURL =
            tokenOnly
            ? ((try? url(Variable.userAdminURL, default: region?.userAdminURL, what: "")) ?? tokenURL)
            : try url(Variable.userAdminURL, default: region?.userAdminURL, what: "User Admin API")
        /// A whole number in `range` from the variable `name`, or `fallback` when unset.
        func number(_ name: String, in range: ClosedRange<Int>, default fallback: Int, of unit: String)
            throws(RemoteError) -> Int
        {
            guard let text = value(name) else { return fallback }
            guard let number = Int(text), range.contains(number) else {
                throw .setting(
                    "\(name) is \(Quoted.of(Printable.escaped(text))); give \(unit), "
                        + "\(range.lowerBound) to \(range.upperBound)")
            }
            return number
        }
        let rateLimit = try number(
            Variable.rateLimit, in: rateLimits, default: defaultRateLimit, of: "requests a minute")
        let readTimeout = try number(Variable.readTimeout, in: readTimeouts, default: defaultReadTimeout, of: "seconds")
        let credential =
            tokenOnly ? nil : try readCredential(variables: variables, fileSystem: environment.fileSystem)
        var settings = ConnectionSettings(
            tokenURL: tokenURL, userAdminURL: userAdminURL, credential: credential, rateLimit: rateLimit)
        settings.readTimeout = readTimeout
        return settings
    }

    /// `VCC_CREDS_CLIENT_ID` with exactly one of `VCC_CREDS_CLIENT_SECRET` and
    /// `VCC_CREDS_CLIENT_SECRET_FILE`. No message quotes the secret, even a malformed one.
    static func readCredential(
        variables: [String: String], fileSystem: any FileSystem
    ) throws(RemoteError) -> ClientCredential {
        guard let clientId = variables[Variable.clientId], !clientId.isEmpty else {
            throw .credential(
                "no API credential for vcc-creds: set \(Variable.clientId) and \(Variable.clientSecret) or "
                    + "\(Variable.clientSecretFile) (an admin's credential with the scopes the command needs)")
        }
        guard clientId.utf8.count <= 256, clientId.utf8.allSatisfy(Identifiers.isVisibleASCII) else {
            throw .credential("\(Variable.clientId) is not a client ID (1 to 256 printable ASCII characters)")
        }
        let inline = variables[Variable.clientSecret].flatMap { $0.isEmpty ? nil : $0 }
        let file = variables[Variable.clientSecretFile].flatMap { $0.isEmpty ? nil : $0 }
        let secret: [UInt8]
        let source: String
        switch (inline, file) {
        case (nil, nil):
            throw .credential(
                "\(Variable.clientId) is set but no secret: set \(Variable.clientSecret) or \(Variable.clientSecretFile)"
            )
        case (_?, _?):
            throw .credential("both \(Variable.clientSecret) and \(Variable.clientSecretFile) are set: unset one")
        case (let text?, nil):
            secret = Array(text.utf8)
            source = Variable.clientSecret
        case (nil, let path?):
            do {
                // Without one trailing line break, as an editor or `echo` leaves it.
                secret = SecretVerifier.secret(
                    fromInput: try fileSystem.readFile(at: path, maxBytes: ClientCredential.maxSecretBytes))
            } catch {
                throw .credential("\(Variable.clientSecretFile) \(Printable.escaped(path)): \(error.problem)")
            }
            source = "\(Variable.clientSecretFile) (\(Printable.escaped(path)))"
        }
        guard (1...256).contains(secret.count), secret.allSatisfy(Identifiers.isVisibleASCII) else {
            throw .credential("\(source) is not a client secret (1 to 256 printable ASCII characters, no spaces)")
        }
        return ClientCredential(clientId: clientId, secret: secret)
    }
}
