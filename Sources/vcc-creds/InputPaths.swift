import ArgumentParser
import VCCCredentials

/// `--state` and `--manifests` as a command reads them: the flag, else the environment
/// (``PathDefaults``). Commands that take a saved plan leave the rest to the library,
/// where the plan's recorded paths come between the two.
enum InputPaths {
    static let stateHelp = "(default: $\(PathDefaults.stateVariable))"
    static let manifestsHelp = "(default: $\(PathDefaults.manifestsVariable), else \(PathDefaults.manifestsFolder))"

    /// The state file; a missing one is a usage error that names both ways to give it.
    static func state(_ flag: String?) throws -> String {
        guard let path = PathDefaults.state(flag, variables: SystemEnvironment.live.variables) else {
            throw ValidationError("no state file: \(PathDefaults.stateHint)")
        }
        return path
    }

    static func manifests(_ flag: String?) -> String {
        PathDefaults.manifests(flag, variables: SystemEnvironment.live.variables) ?? PathDefaults.manifestsFolder
    }
}
