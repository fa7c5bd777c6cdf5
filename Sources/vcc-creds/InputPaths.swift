import ArgumentParser
import VCCCredentials

/// `--state`, `--manifests` and a single `--as` as a command reads them: the flag, else
/// the environment (``PathDefaults``, ``ActorList``). Commands that take a saved plan leave the rest to the library,
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

    /// The user of a command that acts as one (`export`, `import`, `forget`): `--as`, else
    /// `VCC_CREDS_AS` when it names one. `purpose` says why one: "import acts as one admin".
    static func actor(_ flag: String?, _ purpose: String) throws -> String {
        switch ActorList.single(flag: flag, environment: SystemEnvironment.live.variables) {
        case .user(let id): return id
        case .nobody: throw ValidationError("--as: no user to act as; give --as USER or set \(ActorList.variable)")
        case .several(let count):
            throw ValidationError("--as: \(purpose), but \(ActorList.variable) names \(count); give --as USER")
        }
    }

    static func manifests(_ flag: String?) -> String {
        PathDefaults.manifests(flag, variables: SystemEnvironment.live.variables) ?? PathDefaults.manifestsFolder
    }
}
