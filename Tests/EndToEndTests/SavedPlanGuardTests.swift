import Foundation
import Testing

/// Saved-plan edges found in review: where `--out` may write, what a hand-edited plan
/// looks like to `show`, and `apply PLANFILE` without flags the plan records.
@Suite struct SavedPlanGuardTests {
    @Test(arguments: ["state.json", "manifests/users.yaml"])
    func outNeverOverwritesAFileThatIsNotAPlan(_ target: String) throws {
        let sandbox = try Sandbox.acme()
        let before = try sandbox.snapshot()
        let result = try CLI.run(
            ["plan", "--state", "state.json", "--as", "alice@acme.example", "--out", target], in: sandbox.url)
        #expect(result.status == 1)
        #expect(
            result.stderr
                == "\(target): error: exists and is not a vcc-creds plan; --out never overwrites other files\n")
        #expect(try sandbox.snapshot() == before)
    }

    @Test func outReplacesAnOlderPlan() throws {
        let sandbox = try Sandbox.acme()
        let first = try CLI.run(
            ["plan", "--state", "state.json", "--as", "alice@acme.example", "--out", "plan.json"], in: sandbox.url)
        #expect(first.status == 3)
        let second = try CLI.run(
            ["plan", "--state", "state.json", "--as", "sam@acme.example", "--out", "plan.json"], in: sandbox.url)
        #expect(second.status == 3)
        #expect(try sandbox.read("plan.json").contains("\"actors\": [\n    {\n      \"id\": \"sam@acme.example\""))
    }

    @Test func aPermittedChangeWithARuleIsRejected() throws {
        let sandbox = try Sandbox.acme()
        try CLI.run(
            ["plan", "--state", "state.json", "--as", "sam@acme.example", "--out", "plan.json"], in: sandbox.url)
        var text = try sandbox.read("plan.json")
        let permitted = try #require(text.range(of: "\"decision\": \"permitted\","))
        text.replaceSubrange(permitted, with: "\"decision\": \"permitted\", \"rule\": \"not-owner\",")
        try sandbox.write("plan.json", text)
        let result = try CLI.run(["show", "plan.json"], in: sandbox.url)
        #expect(result.status == 1)
        #expect(result.stderr.contains("error: a permitted change has no rule"))
    }

    /// Flip a refusal to permitted and fix the summary: the file is well formed, but it is
    /// not what planning gives, so `show` warns as `apply` refuses.
    @Test func showWarnsAboutAPlanEditedConsistently() throws {
        let sandbox = try Sandbox.acme()
        try CLI.run(
            ["plan", "--state", "state.json", "--as", "sam@acme.example", "--out", "plan.json"], in: sandbox.url)
        let data = try Data(contentsOf: sandbox.url.appendingPathComponent("plan.json"))
        var plan = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var changes = try #require(plan["changes"] as? [[String: Any]])
        let index = try #require(changes.firstIndex { $0["decision"] as? String == "refused" })
        for key in ["rule", "reason", "appliableBy"] { changes[index][key] = nil }
        changes[index]["decision"] = "permitted"
        changes[index]["by"] = (plan["actors"] as? [[String: Any]])?.first?["id"]
        plan["changes"] = changes
        var summary = try #require(plan["summary"] as? [String: Int])
        summary["refused"]! -= 1
        summary[changes[index]["action"] as! String]! += 1
        plan["summary"] = summary
        try JSONSerialization.data(withJSONObject: plan, options: [.sortedKeys]).write(
            to: sandbox.url.appendingPathComponent("plan.json"))

        let shown = try CLI.run(["show", "plan.json"], in: sandbox.url)
        #expect(shown.status == 0)
        #expect(
            shown.stderr.contains(
                "plan.json: warning: stale plan: its changes differ from what planning the same inputs gives now"))
        let applied = try CLI.run(["apply", "plan.json", "--as", "sam@acme.example"], in: sandbox.url)
        #expect(applied.status == 4)
    }

    @Test func applyReadsTheStatePathFromThePlan() throws {
        let sandbox = try Sandbox.acme()
        try CLI.run(
            ["plan", "--state", "state.json", "--as", "alice@acme.example", "--out", "plan.json"], in: sandbox.url)
        // alice's plan creates nothing that needs a recipient.
        let result = try CLI.run(["apply", "plan.json", "--as", "alice@acme.example"], in: sandbox.url)
        #expect(result.status == 3)
        #expect(result.stdout.contains("State serial 8 committed."))
        let missing = try CLI.run(["apply", "--as", "alice@acme.example"], in: sandbox.url)
        #expect(missing.status == 1)
        #expect(missing.stderr == "error: no state file: give --state FILE or set VCC_CREDS_STATE\n")
    }
}
