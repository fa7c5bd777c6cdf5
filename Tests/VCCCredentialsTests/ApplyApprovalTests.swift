import Foundation
import Testing

@testable import VCCCredentials

/// `apply` at a terminal shows the plan and asks; only `yes` applies, exactly the plan
/// shown. Never asked: a pipeline, `--auto-approve`, a saved plan, a plan with nothing
/// to apply.
@Suite struct ApplyApprovalTests {
    private func apply(
        _ sandbox: ApplySandbox, _ options: ApplyOptions, terminal: ScriptedTerminal
    ) throws -> ApplyResult {
        let environment = SystemEnvironment(
            fileSystem: LocalFileSystem(), clock: ApplySandbox.clock, random: SeededRandom(seed: 1), terminal: terminal)
        return try Applier(environment: environment).apply(options)
    }

    private func files(_ sandbox: ApplySandbox) throws -> [String] {
        try FileManager.default.subpathsOfDirectory(atPath: sandbox.root.path).filter { !$0.hasPrefix("manifests") }
            .sorted()
    }

    @Test func yesAppliesThePlanShown() throws {
        let sandbox = try ApplySandbox()
        defer { sandbox.remove() }
        let terminal = ScriptedTerminal(answer: "yes")
        let result = try apply(sandbox, sandbox.options(), terminal: terminal)
        #expect(terminal.questions == 1)
        #expect(
            terminal.output.hasPrefix(
                "vcc-creds plan for account acme as sam@acme.example (supervisor), state serial 7\n"))
        #expect(terminal.output.contains("\nPlan: 1 to create, 1 to update, 1 to delete, 2 refused.\n"))
        #expect(terminal.output.hasSuffix("they are left out of the plan.\n\n" + ApplyApproval.question))
        #expect(result.planShown)
        #expect(!result.cancelled)
        #expect(result.newSerial == 8)
        #expect(try sandbox.state().serial == 8)
        #expect(ApplyText.outcome(result).hasPrefix("Apply complete! 1 created, 1 updated, 1 deleted, 2 refused.\n"))
    }

    @Test(arguments: ["no", "", "y", "YES", "Yes", " yes", "yes ", "yes please", nil] as [String?])
    func anythingButYesCancels(_ answer: String?) throws {
        let sandbox = try ApplySandbox()
        defer { sandbox.remove() }
        let before = try files(sandbox)
        let terminal = ScriptedTerminal(answer: answer)
        let result = try apply(sandbox, sandbox.options(), terminal: terminal)
        #expect(terminal.questions == 1)
        #expect(result.cancelled)
        #expect(result.exitStatus == .failure)
        #expect(result.applied.isEmpty && result.newSerial == nil)
        #expect(ApplyText.outcome(result) == "Apply cancelled.\n")
        #expect(try files(sandbox) == before, "a cancelled apply wrote files")
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: sandbox.path("state.json")))) == sandbox.originalState)
    }

    @Test func aPipelineIsNotAsked() throws {
        let sandbox = try ApplySandbox()
        defer { sandbox.remove() }
        let terminal = ScriptedTerminal(interactive: false, answer: "no")
        let result = try apply(sandbox, sandbox.options(), terminal: terminal)
        #expect(terminal.questions == 0)
        #expect(terminal.output == "")
        #expect(!result.planShown)
        #expect(result.newSerial == 8)
    }

    @Test func autoApproveIsNotAsked() throws {
        let sandbox = try ApplySandbox()
        defer { sandbox.remove() }
        let terminal = ScriptedTerminal(answer: "no")
        var options = sandbox.options()
        options.approval = .automatic
        let result = try apply(sandbox, options, terminal: terminal)
        #expect(terminal.questions == 0)
        #expect(terminal.output == "")
        #expect(result.newSerial == 8)
    }

    /// A saved plan was reviewed when it was made: applying it asks nothing.
    @Test func aSavedPlanIsNotAsked() throws {
        let sandbox = try ApplySandbox()
        defer { sandbox.remove() }
        // Planned at the clock the apply runs at: a plan from the real clock would be from
        // the future, or the past, of the sandbox's fixed one.
        let pipeline = PlanPipeline(
            environment: SystemEnvironment(
                fileSystem: LocalFileSystem(), clock: ApplySandbox.clock, random: SeededRandom(seed: 2)))
        let run = try pipeline.plan(
            manifests: sandbox.path("manifests"), statePath: sandbox.path("state.json"), actors: ["sam@acme.example"])
        try pipeline.save(
            run.document(inputs: .init(state: sandbox.path("state.json"), manifests: sandbox.path("manifests"))),
            to: sandbox.path("plan.json"))
        let terminal = ScriptedTerminal(answer: "no")
        var options = sandbox.options()
        options.planFile = sandbox.path("plan.json")
        let result = try apply(sandbox, options, terminal: terminal)
        #expect(terminal.questions == 0)
        #expect(result.newSerial == 8)
    }

    /// Nothing would be written, so there is nothing to approve.
    @Test func nothingToApplyIsNotAsked() throws {
        let sandbox = try ApplySandbox()
        defer { sandbox.remove() }
        let terminal = ScriptedTerminal(answer: "no")
        let result = try apply(sandbox, sandbox.options(allOrNothing: true), terminal: terminal)
        #expect(terminal.questions == 0)
        #expect(result.heldBack)
        #expect(!result.planShown && !result.cancelled)
    }

    /// New secrets with nobody to seal them for: the error comes before the question.
    @Test func noRecipientsStopsBeforeTheQuestion() throws {
        let sandbox = try ApplySandbox()
        defer { sandbox.remove() }
        let terminal = ScriptedTerminal(answer: "yes")
        #expect(throws: ApplyError.self) { try apply(sandbox, sandbox.options(recipients: []), terminal: terminal) }
        #expect(terminal.questions == 0)
    }

    /// The manifests change while the question is open: what would be applied is not what
    /// was approved. Refused like a stale plan (exit 4), nothing written.
    @Test func aPlanThatChangedWhileAskedIsRefused() throws {
        let sandbox = try ApplySandbox()
        defer { sandbox.remove() }
        let extra = sandbox.path("manifests/credentials/extra.yaml")
        let terminal = ScriptedTerminal(answer: "yes") {
            try? Data("credentials:\n  - {name: sneaked-in, owner: sam@acme.example, scopes: [users:read]}\n".utf8)
                .write(to: URL(fileURLWithPath: extra))
        }
        let before = try files(sandbox)
        do {
            _ = try apply(sandbox, sandbox.options(), terminal: terminal)
            Issue.record("a plan that changed after it was shown was applied")
        } catch let error as ApplyError {
            #expect(error.exitStatus == .stalePlan)
            #expect(error.exitStatus.rawValue == 4)
            let line = error.description
            #expect(
                line.hasPrefix(
                    "\(sandbox.path("state.json")): error: the plan changed after it was shown: the manifests "
                        + "changed since it was planned"
                ), "\(line)")
            #expect(line.hasSuffix("nothing was applied. Run apply again to review the new plan"), "\(line)")
        }
        #expect(try files(sandbox) == before, "files written")
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: sandbox.path("state.json")))) == sandbox.originalState)
    }
}
