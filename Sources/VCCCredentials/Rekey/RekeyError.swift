/// Why `rekey` stopped. Nothing was written in any case.
public enum RekeyError: VCCError, Sendable {
    /// No identity given, and not a dry run.
    case noIdentity
    /// A file to rekey is missing (or not a regular file with one name).
    case missingFile(path: String, clientId: String, FileSystemError?)
    /// The identity is not among the file's recipients.
    case cannotOpen(path: String, identityFile: String)
    /// The file opens, but does not hold this credential's secret.
    case notTheCredentialsFile(path: String, clientId: String, why: String)
    /// The manifests name nobody who may open the file, not even an escrow.
    case nobodyDeclared(clientId: String, owner: String?, name: String)
    /// A staged file of an earlier rekey is in the way (and no journal names it).
    case stagedFileExists(String)

    public var diagnostics: [Diagnostic] {
        let untouched = "; nothing was written"
        switch self {
        case .noIdentity:
            return [
                .error(
                    "rekey needs --identity KEY (an age-keygen file whose key opens every file to rekey, the "
                        + "escrow's typically), or --dry-run to list them"
                        + untouched)
            ]
        case .missingFile(let path, let clientId, let error):
            guard let error, !error.isNotFound else {
                return [
                    .error(
                        "the sealed file of credential \(clientId) is missing; pass the --sealed-dir its apply used, "
                            + "or rotate the credential"
                            + untouched,
                        at: SourceLocation(file: path))
                ]
            }
            return [
                .error(
                    "the sealed file of credential \(clientId) cannot be rekeyed: it \(error.problem)" + untouched,
                    at: SourceLocation(file: path))
            ]
        case .cannotOpen(let path, let identityFile):
            return [
                .error(
                    "the key in \(Printable.escaped(identityFile)) is not one of this file's recipients; rekey with "
                        + "a key that opens every file (the escrow's, settings.recipients)"
                        + untouched,
                    at: SourceLocation(file: path))
            ]
        case .notTheCredentialsFile(let path, let clientId, let why):
            return [
                .error(
                    "does not hold the secret of credential \(clientId) (\(why)): it was replaced or edited; restore "
                        + "it from version control, or rotate the credential"
                        + untouched,
                    at: SourceLocation(file: path))
            ]
        case .nobodyDeclared(let clientId, let owner, let name):
            let address = owner.map { "\($0)/\(name)" } ?? name
            return [
                .error(
                    "credential \(Printable.escaped(address)) (\(clientId)) would be readable by nobody: the "
                        + "manifests declare no recipient for it and no settings.recipients; declare one"
                        + untouched)
            ]
        case .stagedFileExists(let path):
            return [
                .error(
                    "already exists, left by another rekey; it holds no secret that is not in its sealed file: "
                        + "remove it and rerun"
                        + untouched,
                    at: SourceLocation(file: path))
            ]
        }
    }
}
