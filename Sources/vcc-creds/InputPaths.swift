import ArgumentParser
import VCCCredentials

/// `--state` and `--manifests` as a command reads them: the flag, else the environment
/// (``PathDefaults``). Commands that take a saved plan leave the rest to the library,
/// where the plan's recorded paths come between the two.
enum InputPaths {
    static let stateHelp = "(default: $\(PathDefaults.stateVariable))"
    static let manifestsHelp = "(default: $\(PathDefaults.manifestsVariable), else \(PathDefaults.manifestsFolder))"

    /// The state file; a missing one is the usage error a required flag would give.
    static func state(_ flag: String?) throws -> String {
        guard let path = PathDefaults.state(flag, variables: SystemEnvironment.live.variables) else {
            throw ValidationError("Missing expected argument '--state <state>'")
        }
        return path
    }

    static func manifests(_ flag: String?) -> String {
        PathDefaults.manifests(flag, variables: SystemEnvironment.live.variables) ?? PathDefaults.manifestsFolder
    }
}
