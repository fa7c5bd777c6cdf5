import Foundation
import Testing

/// The benchmark's generator keeps producing accounts vcc-creds accepts, so `bench/run`
/// measures planning, not error paths. (The benchmark itself is not part of the tests.)
@Suite struct BenchGeneratorTests {
    @Test(.enabled(if: Python.has("json"), "needs python3"))
    func generatedAccountsValidateAndPlan() throws {
        let sandbox = try Sandbox()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", Repository.root.appendingPathComponent("bench/generate.py").path, sandbox.path("account"),
            "--users", "60", "--credentials", "200", "--apply-creates", "5",
        ]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let validate = try CLI.run(["validate", "--manifests", "account/manifests"], in: sandbox.url)
        #expect(validate.status == 0, "\(validate.stderr)")
        let plan = try CLI.run(
            [
                "plan", "--manifests", "account/manifests", "--state", "account/state.json", "--as",
                "user000000@big.example", "--format", "json",
            ], in: sandbox.url)
        #expect([0, 3].contains(plan.status), "\(plan.stderr)")
        #expect(plan.stdout.contains("\"credential:user000000@big.example/new-000004\""))
    }
}
