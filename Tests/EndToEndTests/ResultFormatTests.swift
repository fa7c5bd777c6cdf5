import Foundation
import Testing

/// `validate --format json`, `apply --format json` and `apply --quiet`: what a pipeline
/// reads instead of the text a person reads.
@Suite struct ResultFormatTests {
    @Test func validateJSONOfValidManifests() throws {
        let sandbox = try Sandbox.acme()
        let result = try CLI.run(["validate", "--format", "json"], in: sandbox.url)
        #expect(result.status == 0)
        #expect(result.stderr == "")
        let document = try object(result.stdout)
        #expect(document["valid"] as? Bool == true)
        #expect((document["problems"] as? [Any])?.isEmpty == true)
        #expect(document["account"] as? String == "acme")
        #expect(document["users"] as? Int == 8)
    }

    /// Every problem as {file, line, column, severity, message}, the same ones the text
    /// prints; exit 1 and nothing on stderr (the problems are the output).
    @Test func validateJSONOfBrokenManifests() throws {
        let sandbox = try Sandbox.acme()
        try sandbox.write("manifests/extra.yaml", "users:\n  - id: zed@acme.example\n    license: pilot\n")
        let text = try CLI.run(["validate"], in: sandbox.url)
        let result = try CLI.run(["validate", "--format", "json"], in: sandbox.url)
        #expect(result.status == 1)
        #expect(result.stderr == "")
        let document = try object(result.stdout)
        #expect(document["valid"] as? Bool == false)
        let problems = try #require(document["problems"] as? [[String: Any]])
        try #require(!problems.isEmpty)
        let lines = problems.map { problem in
            "\(problem["file"] as? String ?? "?"):\(problem["line"] as? Int ?? 0):\(problem["column"] as? Int ?? 0): "
                + "\(problem["severity"] as? String ?? "?"): \(problem["message"] as? String ?? "?")"
        }
        #expect(lines.joined(separator: "\n") + "\n" == text.stderr)
        #expect(
            lines.contains(
                "manifests/extra.yaml:3:14: error: unknown license 'pilot' (one of: admin, supervisor, agent, "
                    + "wallboard)"
            ), "\(lines)")
    }

    /// The bundled example applied as the admin and the supervisor together: each change
    /// with the actor that made it, the minted client ID the sealed file holds, the
    /// refusal with its rule, and no secret anywhere in the output.
    @Test(.enabled(if: PeerTools.age != nil, "needs age"))
    func applyJSONNamesWhatWasMadeByWhomAndWhere() throws {
        let sandbox = try Sandbox.acme()
        let recipient = try PeerTools.newKey("key.txt", in: sandbox)
        let result = try CLI.run(
            [
                "apply", "--state", "state.json", "--as", "alice@acme.example", "--as", "sam@acme.example",
                "--recipient", recipient, "--format", "json",
            ], in: sandbox.url)
        #expect(result.status == 3, "\(result.stderr)")
        let document = try object(result.stdout)
        #expect(document["outcome"] as? String == "applied")
        #expect(document["serial"] as? Int == 8)
        #expect(document["stateSerial"] as? Int == 7)
        let applied = try #require(document["applied"] as? [[String: Any]])
        let by = Dictionary(
            uniqueKeysWithValues: applied.map { ($0["id"] as? String ?? "", $0["by"] as? String ?? "") })
        #expect(by["user:andy@acme.example"] == "alice@acme.example")
        #expect(by["credential:sam@acme.example/quality-export"] == "sam@acme.example")
        let created = try #require(
            applied.first { $0["id"] as? String == "credential:sam@acme.example/quality-export" })
        let clientId = try #require(created["clientId"] as? String)
        let sealed = try #require(document["sealed"] as? [String: Any])
        #expect(sealed["clientIds"] as? [String] == [clientId])
        let path = try #require(sealed["path"] as? String)
        #expect(path == "secrets/acme-8.age")
        let refused = try #require(document["refused"] as? [[String: Any]])
        #expect(refused.map { $0["rule"] as? String } == ["scope-not-allowed-for-license"])
        #expect(refused.first?["appliableBy"] as? [String] == [])

        let age = try #require(PeerTools.age)
        let opened = try PeerTools.run(age, ["-d", "-i", "key.txt", path], in: sandbox.url)
        let secrets = try #require(try object(opened.text)["credentials"] as? [[String: Any]])
        let secret = try #require(secrets.first?["clientSecret"] as? String)
        #expect(secrets.first?["clientId"] as? String == clientId)
        #expect(!result.stdout.contains(secret) && !result.stderr.contains(secret))
        #expect(!result.stdout.contains("clientSecret") && !result.stdout.contains("secretSha256"))
    }

    @Test func applyJSONWithNothingToDo() throws {
        let sandbox = try Sandbox.acme()
        try FileManager.default.removeItem(atPath: sandbox.path("manifests"))
        let exported = try CLI.run(["export", "--state", "state.json", "--as", "alice@acme.example"], in: sandbox.url)
        try sandbox.write("manifests/all.yaml", exported.stdout)
        let before = try sandbox.snapshot()
        let result = try CLI.run(
            ["apply", "--state", "state.json", "--as", "alice@acme.example", "--format", "json"], in: sandbox.url)
        #expect(result.status == 0, "\(result.stderr)")
        let document = try object(result.stdout)
        #expect(document["outcome"] as? String == "nothing-to-apply")
        #expect(document["serial"] is NSNull)
        #expect(document["sealed"] is NSNull)
        #expect((document["applied"] as? [Any])?.isEmpty == true)
        #expect(try sandbox.snapshot() == before)
    }

    /// --quiet: the summary lines and nothing of the plan (82,304 lines at 10k creates).
    @Test(.enabled(if: PeerTools.age != nil, "needs age"))
    func applyQuietPrintsOnlyTheSummary() throws {
        let sandbox = try Sandbox.acme()
        let recipient = try PeerTools.newKey("key.txt", in: sandbox)
        let result = try CLI.run(
            [
                "apply", "--state", "state.json", "--as", "alice@acme.example", "--as", "sam@acme.example",
                "--recipient", recipient, "--quiet",
            ], in: sandbox.url)
        #expect(result.status == 3)
        #expect(
            result.stdout == """
                Apply complete! 2 created, 1 updated, 1 deleted, 1 refused.
                State serial 8 committed.
                1 new secret sealed in secrets/acme-8.age (open with: age -d -i KEY secrets/acme-8.age).

                """)
    }

    @Test func quietAndJSONTogetherAreRefused() throws {
        let sandbox = try Sandbox.acme()
        let before = try sandbox.snapshot()
        let result = try CLI.run(
            ["apply", "--state", "state.json", "--as", "alice@acme.example", "--quiet", "--format", "json"],
            in: sandbox.url)
        #expect(result.status == 1)
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(result.stderr.contains("--quiet is for the text format"))
        #expect(try sandbox.snapshot() == before)
    }

    private func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }
}
