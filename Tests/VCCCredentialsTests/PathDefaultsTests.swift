import Testing

@testable import VCCCredentials

/// The environment's defaults for `--state` and `--manifests`, as every command reads them.
@Suite struct PathDefaultsTests {
    @Test func aGivenPathWinsOverTheVariable() {
        let variables = ["VCC_CREDS_STATE": "env.json", "VCC_CREDS_MANIFESTS": "env-manifests"]
        #expect(PathDefaults.state("flag.json", variables: variables) == "flag.json")
        #expect(PathDefaults.manifests("flag", variables: variables) == "flag")
        #expect(PathDefaults.state(nil, variables: variables) == "env.json")
        #expect(PathDefaults.manifests(nil, variables: variables) == "env-manifests")
    }

    @Test func anEmptyOrMissingVariableIsUnset() {
        #expect(PathDefaults.state(nil, variables: [:]) == nil)
        #expect(PathDefaults.state(nil, variables: ["VCC_CREDS_STATE": ""]) == nil)
        #expect(PathDefaults.manifests(nil, variables: ["VCC_CREDS_MANIFESTS": ""]) == nil)
    }

    /// The library reads the injected variables, never the process's.
    @Test func aTestEnvironmentHasNoVariables() {
        let environment = SystemEnvironment(fileSystem: LocalFileSystem(), clock: SystemClock(), random: SystemRandom())
        #expect(environment.variables.isEmpty)
    }
}
