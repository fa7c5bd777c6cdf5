import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite struct InitCommandTests {
    @Test func initCreatesACanonicalStateThatPlansRunAgainst() throws {
        let sandbox = try Sandbox()
        let result = try CLI.run(
            [
                "init", "--state", "state.json", "--account", "small", "--admin", "alice@small.example", "--admin-name",
                "Alice",
            ], in: sandbox.url)
        #expect(result.status == 0)
        #expect(result.stdout == "")
        #expect(result.stderr.hasPrefix("Created state.json for account small (lineage "))
        let state = try sandbox.read("state.json")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(state.utf8)) as? [String: Any])
        #expect(json["serial"] as? Int == 1)
        #expect((json["account"] as? [String: Any])?["apiCredentialsEnabled"] as? Bool == true)
        let lineage = try #require(json["lineage"] as? String)
        #expect(lineage == lineage.lowercased() && UUID(uuidString: lineage) != nil)
        #expect(state.hasSuffix("}\n"))

        try sandbox.copyFixture("small", to: "fixture")
        let plan = try CLI.run(
            ["plan", "--manifests", "fixture/manifests", "--state", "state.json", "--as", "alice@small.example"],
            in: sandbox.url)
        #expect(plan.status == 0)
        #expect(plan.stdout.contains("+ user sam@small.example"))
    }

    @Test func initNeverOverwrites() throws {
        let sandbox = try Sandbox()
        try sandbox.write("state.json", "precious\n")
        let result = try CLI.run(["init", "--state", "state.json", "--account", "small"], in: sandbox.url)
        #expect(result.status == 1)
        #expect(result.stderr == "state.json: error: already exists; init never overwrites anything\n")
        #expect(try sandbox.read("state.json") == "precious\n")
    }

    /// A link (dangling or not), a FIFO or a folder at the path is never written through.
    @Test func initNeverWritesThroughWhatIsAtThePath() throws {
        let sandbox = try Sandbox()
        try FileManager.default.createSymbolicLink(
            atPath: sandbox.path("dangling.json"), withDestinationPath: "target.json")
        try FileManager.default.createDirectory(atPath: sandbox.path("folder.json"), withIntermediateDirectories: false)
        #expect(mkfifo(sandbox.path("fifo.json"), 0o644) == 0)
        for name in ["dangling.json", "folder.json", "fifo.json"] {
            let result = try CLI.run(["init", "--state", name, "--account", "small"], in: sandbox.url)
            #expect(result.status == 1)
            #expect(result.stderr == "\(name): error: already exists; init never overwrites anything\n")
        }
        #expect(!FileManager.default.fileExists(atPath: sandbox.path("target.json")))
    }

    @Test func initCanRecordTheFeatureSwitchedOff() throws {
        let sandbox = try Sandbox()
        let result = try CLI.run(
            ["init", "--state", "s.json", "--account", "small", "--api-credentials", "disabled"], in: sandbox.url)
        #expect(result.status == 0)
        #expect(try sandbox.read("s.json").contains("\"apiCredentialsEnabled\": false"))
    }

    @Test func initLeavesNoTemporaryFiles() throws {
        let sandbox = try Sandbox()
        try CLI.run(["init", "--state", "s.json", "--account", "small"], in: sandbox.url)
        #expect(Array(try sandbox.snapshot().keys) == ["s.json"])
    }
}
