import Crypto
import Foundation
import Testing
import VCCCredentials

/// A failure at every single write step of an apply leaves the promised invariants
/// true, and a rerun completes the apply.
@Suite struct ApplyFaultTests {
    /// The state is the old one or the next one, whole; every credential in it has its
    /// secret, matching `secretSha256`, in a sealed file on disk.
    private func checkInvariants(
        _ sandbox: ApplySandbox, step: String, sourceLocation: Testing.SourceLocation = #_sourceLocation
    )
        throws
    {
        let state = try sandbox.state()
        #expect([7, 8].contains(state.serial), "after \(step)", sourceLocation: sourceLocation)
        if state.serial == 7 {
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: sandbox.path("state.json"))))
            #expect(bytes == sandbox.originalState, "old state altered after \(step)", sourceLocation: sourceLocation)
        }
        let secrets = try sandbox.sealedSecrets()
        let original = Set(try StateCodec.decode(sandbox.originalState, file: "original").credentials.map(\.clientId))
        for credential in state.credentials where !original.contains(credential.clientId) {
            let secret = try #require(
                secrets[credential.clientId], "no sealed secret for \(credential.name) after \(step)",
                sourceLocation: sourceLocation)
            #expect(
                Digest.sha256Hex(Array(secret.utf8)) == credential.secretSha256, "digest mismatch after \(step)",
                sourceLocation: sourceLocation)
        }
    }

    @Test func everyWriteStepCanFailSafely() throws {
        let counting = FaultyFileSystem()
        let probe = try ApplySandbox()
        defer { probe.remove() }
        _ = try probe.apply(probe.options(), fileSystem: counting)
        let steps = counting.operations
        // journal, sealed file, state backup, state, audit, journal removal: each a few steps.
        #expect(steps.count >= 12, "\(steps)")

        for (index, step) in steps.enumerated() {
            let sandbox = try ApplySandbox()
            defer { sandbox.remove() }
            let faulty = FaultyFileSystem(failAt: index)
            #expect(throws: (any Error).self, "step \(index) (\(step)) did not fail the apply") {
                _ = try sandbox.apply(sandbox.options(), fileSystem: faulty)
            }
            try checkInvariants(sandbox, step: "failure at \(index) (\(step))")

            let rerun = try sandbox.apply(sandbox.options(), seed: 2)
            try checkInvariants(sandbox, step: "rerun after \(index) (\(step))")
            let final = try sandbox.state()
            #expect(final.serial == 8, "rerun after \(step) left serial \(final.serial)")
            #expect(rerun.plan.summary.refused == 2)
            let audit = try String(contentsOfFile: sandbox.path("state.json.audit.jsonl"), encoding: .utf8)
            let lines = audit.split(separator: "\n")
            #expect(lines.count == 3, "audit after rerun of \(step): \(lines.count) lines")
            #expect(lines.allSatisfy { $0.contains(#""serial":8"#) })
            #expect(FileManager.default.fileExists(atPath: sandbox.path("state.json.pending")) == false)
        }
    }

    @Test func anOrphanedSealedFileIsSetAsideNotOverwritten() throws {
        let sandbox = try ApplySandbox()
        defer { sandbox.remove() }
        // Fail at the state's rename: sealed file written, state not committed.
        let counting = FaultyFileSystem()
        let probe = try ApplySandbox()
        defer { probe.remove() }
        _ = try probe.apply(probe.options(), fileSystem: counting)
        let stateRename = try #require(counting.operations.lastIndex { $0 == "rename -> state.json" })
        #expect(throws: (any Error).self) {
            _ = try sandbox.apply(sandbox.options(), fileSystem: FaultyFileSystem(failAt: stateRename))
        }
        let orphan = Array(try Data(contentsOf: URL(fileURLWithPath: sandbox.path("secrets/acme-8.age"))))
        let result = try sandbox.apply(sandbox.options(), seed: 3)
        #expect(result.notes.contains { $0.message.contains("acme-8.interrupted.age") })
        let kept = Array(try Data(contentsOf: URL(fileURLWithPath: sandbox.path("secrets/acme-8.interrupted.age"))))
        #expect(kept == orphan)
        #expect(try sandbox.state().serial == 8)
    }

    @Test func aFailureBeforeSealingChangesNothing() throws {
        let sandbox = try ApplySandbox()
        defer { sandbox.remove() }
        let before = try sandbox.unsealedFileContents()
        #expect(throws: (any Error).self) {
            _ = try sandbox.apply(sandbox.options(), fileSystem: FaultyFileSystem(failAt: 0))
        }
        var after = try sandbox.unsealedFileContents()
        after["state.json.lock"] = nil
        #expect(after == before)
    }
}

/// Temp files a killed run left beside the state are removed by the next apply, under the
/// lock; other files there are left alone.
@Suite struct TemporaryFileSweepTests {
    @Test func theNextApplySweepsTempFilesOfAKilledRun() throws {
        let sandbox = try ApplySandbox()
        defer { sandbox.remove() }
        for name in [".state.json.1a2b.tmp", ".state.json.backup.3c4d.tmp", ".state.json.pending.5e6f.tmp"] {
            try Data("partial".utf8).write(to: URL(fileURLWithPath: sandbox.path(name)))
        }
        try Data("keep".utf8).write(to: URL(fileURLWithPath: sandbox.path(".other.json.1a2b.tmp")))
        let result = try sandbox.apply(sandbox.options())
        #expect(result.notes.map(\.message).contains("recovered: removed 3 temporary files left by an interrupted run"))
        let left = try FileManager.default.contentsOfDirectory(atPath: sandbox.root.path).filter {
            $0.hasSuffix(".tmp")
        }
        #expect(left == [".other.json.1a2b.tmp"])
    }
}
