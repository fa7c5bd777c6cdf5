import CVCCSystem

/// The tool version, recorded in saved plans: what `scripts/release` built in, else the
/// next release's, marked `-dev` (a build from source is not a release; bumped after each
/// release, docs/reference/releases.md).
public let version: String = {
    let built = String(cString: vcc_build_version())
    return built.isEmpty ? "0.2.0-dev" : built
}()

/// The commit a release was built from (`scripts/release`); nil for a build from source.
public let buildCommit: String? = {
    let built = String(cString: vcc_build_commit())
    return built.isEmpty ? nil : built
}()

/// What `--version` prints: the version, and the commit of a release build.
public var versionLine: String { version + (buildCommit.map { " (commit \($0))" } ?? "") }
