import CVCCSystem

/// The tool version, recorded in saved plans: what `scripts/release` built in, else the
/// source's own.
public let version: String = {
    let built = String(cString: vcc_build_version())
    return built.isEmpty ? "0.1.0" : built
}()

/// The commit a release was built from (`scripts/release`); nil for a build from source.
public let buildCommit: String? = {
    let built = String(cString: vcc_build_commit())
    return built.isEmpty ? nil : built
}()

/// What `--version` prints: the version, and the commit of a release build.
public var versionLine: String { version + (buildCommit.map { " (commit \($0))" } ?? "") }
