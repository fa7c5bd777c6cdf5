import StrictJSON

/// The saved plan (`plan --out`, `plan --format json`), in one place: written by
/// ``PlanFileWriter``, read back by ``PlanFileReader``, hashed from the writer's compact
/// bytes, and saved without ever overwriting a file that is not a plan.
public enum PlanFile {
    public static let maxBytes = 256 * 1024 * 1024

    /// The file's text: pretty, keys sorted, a newline at the end.
    public static func encode(_ document: PlanDocument) -> [UInt8] {
        PlanFileWriter.write(document, style: .pretty)
    }

    public static func decode(_ bytes: [UInt8], file: String) throws(DiagnosticsError) -> PlanDocument {
        try PlanFileReader.decode(bytes, file: file)
    }

    public static func load(_ path: String, fileSystem: any FileSystem) throws -> PlanDocument {
        try decode(fileSystem.readFile(at: path, maxBytes: maxBytes), file: path)
    }

    /// Lowercase hex SHA-256 of the plan's compact JSON: the plan digest reviewers see.
    /// Where it was saved from does not count, nor how the manifests' path was spelled
    /// (refusals' locations): the same plan has the same digest.
    public static func digest(_ document: PlanDocument) -> String {
        var content = document
        content.inputs = nil
        content.changes = document.changes.map(\.content)
        return Digest.sha256Hex(PlanFileWriter.write(content, style: .compact))
    }

    /// Writes `document` to `path`, replacing an older plan there atomically. Anything
    /// else at `path` (a state, a manifest, a typo'd path, a link) is never overwritten.
    public static func save(_ document: PlanDocument, to path: String, environment: SystemEnvironment) throws {
        let fileSystem = environment.fileSystem
        if try fileSystem.requireRegularFileOrNothing(at: path, singleLink: false) != nil {
            let existing = try? fileSystem.readFile(at: path, maxBytes: maxBytes, followingLinks: false)
            guard let existing, (try? decode(existing, file: path)) != nil else {
                throw DiagnosticsError(
                    .error(
                        "exists and is not a vcc-creds plan; --out never overwrites other files",
                        at: SourceLocation(file: path)))
            }
        }
        try AtomicFile(fileSystem: fileSystem, random: environment.random).replace(path, with: encode(document))
    }
}
