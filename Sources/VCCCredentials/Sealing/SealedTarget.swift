/// Where sealed files go and what may take one, for everyone who seals (apply, record,
/// rekey): the default names, and the checks that keep a secret from being written where
/// it would be lost or would overwrite something.
enum SealedTarget {
    /// `secrets/ACCOUNT-SERIAL.age`: where the secrets of the state at `serial` are sealed.
    static func defaultBundle(account: String, serial: Int) -> String { "secrets/\(account)-\(serial).age" }

    /// Where credentials' own sealed files and their index go: `--sealed-dir`, else
    /// `secrets/ACCOUNT`.
    static func folder(_ sealedDir: String?, account: String) -> String { sealedDir ?? "secrets/\(account)" }

    /// What makes a sealed path unusable on its face: it can only name a folder (empty,
    /// ending in `/`, `.` or `..`), it holds a control character, or it is named like a
    /// temp file (which the next run would sweep away).
    static func problem(with path: String) -> SealedPathProblem? {
        let name = PathComponents.fileName(of: path)
        if name.isEmpty || name == "." || name == ".." { return .folder }
        if path.unicodeScalars.contains(where: Identifiers.isControl) { return .controlCharacter }
        if AtomicFile.looksTemporary(name) { return .temporaryName }
        return nil
    }

    /// The sealed path must be free (a sealed file is never written over anything), and
    /// none of the files apply keeps beside the state, even those not written yet.
    static func check(_ path: String, statePath: String, fromFlag: Bool, fileSystem: any FileSystem) throws {
        if let problem = problem(with: path) {
            throw ApplyError.unusableSealedPath(path, problem, fromFlag: fromFlag)
        }
        if StateStore.isSideFile(path, of: statePath, fileSystem: fileSystem) {
            throw ApplyError.unusableSealedPath(path, .stateFile, fromFlag: fromFlag)
        }
        if let kind = fileSystem.kind(of: path) {
            if kind == .directory { throw ApplyError.unusableSealedPath(path, .folder, fromFlag: fromFlag) }
            throw ApplyError.sealedFileExists(path)
        }
    }
}
