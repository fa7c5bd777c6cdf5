import AgeEncryption
import Foundation
import Testing
import VCCCredentials

/// Apply failed at every single write step, through the library with a faulty file
/// system: neither the thrown error nor any file left on disk (temp files, the journal
/// `state.json.pending`, the audit log, the backup, the lock, the state) may hold a
/// secret that was minted. Minting is deterministic for a `SeededRandom` seed, so the
/// secrets of a run that failed before sealing are learned from the same apply, with
/// the same seed, run to completion in another sandbox.
@Suite struct SecretLeakLibraryTests {
    /// Two more creates, one per actor: each actor mints its own and is refused the other's.
    static let probeManifest = """
        credentials:
          - name: leak-probe-sam
            owner: sam@acme.example
            scopes: [users:read]
          - name: leak-probe-alice
            owner: alice@acme.example
            scopes: [stats, users:write]

        """

    /// Sam mints quality-export and leak-probe-sam; Alice mints leak-probe-alice.
    @Test(arguments: [("sam@acme.example", 2), ("alice@acme.example", 1)])
    func noFailedStepLeaksASecret(actor: String, creates: Int) throws {
        let probe = try Self.sandbox()
        defer { probe.remove() }
        let counting = FaultyFileSystem()
        let completed = try probe.apply(probe.options(actor: actor), fileSystem: counting, seed: 1)
        #expect(completed.plan.summary.refused > 0, "no refusal mixed in")
        let reference = try probe.sealedSecrets()
        try #require(reference.count == creates, "the reference run sealed \(reference.count) secrets")
        try Self.expectNoSecret(
            Set(reference.values), in: probe, texts: Self.texts(of: completed, prefix: "reference"),
            context: "reference run")

        let steps = counting.operations
        #expect(steps.count >= 12, "\(steps)")
        for (index, step) in steps.enumerated() {
            let sandbox = try Self.sandbox()
            defer { sandbox.remove() }
            let context = "\(actor), failure at step \(index) (\(step))"
            var texts: [String: String] = [:]
            do {
                let result = try sandbox.apply(
                    sandbox.options(actor: actor), fileSystem: FaultyFileSystem(failAt: index), seed: 1)
                Issue.record("\(context): the apply did not fail")
                texts = Self.texts(of: result, prefix: "result")
            } catch {
                texts["error"] = String(describing: error)
                texts["error, reflected"] = String(reflecting: error)
                texts["error, localized"] = error.localizedDescription
            }
            // What was sealed before the failure is the reference run's, byte for byte.
            let sealed = try sandbox.sealedSecrets()
            for (clientId, secret) in sealed {
                #expect(reference[clientId] == secret, "\(context): minting is not deterministic for a seed")
            }
            var secrets = Set(reference.values).union(sealed.values)
            try Self.expectNoSecret(secrets, in: sandbox, texts: texts, context: context)

            // The run that recovers (and mints anew with another seed) leaks nothing either.
            let rerun = try sandbox.apply(sandbox.options(actor: actor), seed: 2)
            secrets.formUnion(try sandbox.sealedSecrets().values)
            try Self.expectNoSecret(
                secrets, in: sandbox, texts: Self.texts(of: rerun, prefix: "rerun"), context: "\(context), rerun")
            let leftovers = try Self.files(in: sandbox).keys.filter {
                $0.hasSuffix(".tmp") || $0.hasSuffix(".pending") || $0.hasSuffix(".lock")
            }
            #expect(leftovers.isEmpty, "\(context), rerun: left behind \(leftovers.sorted())")
        }
    }

    // MARK: - Support

    static func sandbox() throws -> ApplySandbox {
        let sandbox = try ApplySandbox()
        try Data(probeManifest.utf8).write(
            to: URL(fileURLWithPath: sandbox.path("manifests/credentials/leak-probe.yaml")))
        return sandbox
    }

    /// Everything a caller might print or log of a result.
    static func texts(of result: ApplyResult, prefix: String) -> [String: String] {
        [
            "\(prefix) described": String(describing: result),
            "\(prefix) reflected": String(reflecting: result),
            "\(prefix) as text": ApplyText.render(result),
            "\(prefix) as JSON": String(decoding: PlanFile.encode(result.document), as: UTF8.self),
            "\(prefix) as Markdown": PlanMarkdown.render(result.document),
            "\(prefix) notes": result.notes.map(\.message).joined(separator: "\n"),
        ]
    }

    /// Every file under the sandbox, with its bytes.
    static func files(in sandbox: ApplySandbox) throws -> [String: Data] {
        var files: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(atPath: sandbox.root.path)
        while let relative = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            let path = sandbox.path(relative)
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
                continue
            }
            files[relative] = try Data(contentsOf: URL(fileURLWithPath: path))
        }
        return files
    }

    /// No secret in `texts`, nor in the bytes of any file (sealed ones are encrypted: their
    /// raw bytes must not hold a secret in clear either).
    static func expectNoSecret(
        _ secrets: Set<String>, in sandbox: ApplySandbox, texts: [String: String], context: String,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) throws {
        try #require(!secrets.isEmpty, "\(context): no secret to look for", sourceLocation: sourceLocation)
        let files = try files(in: sandbox)
        #expect(files["state.json"] != nil, "\(context): no state", sourceLocation: sourceLocation)
        for secret in secrets {
            let needle = Data(secret.utf8)
            for (name, text) in texts where text.contains(secret) {
                Issue.record("\(context): a secret is in the \(name)", sourceLocation: sourceLocation)
            }
            for (name, bytes) in files where bytes.range(of: needle) != nil {
                Issue.record("\(context): a secret is in \(name)", sourceLocation: sourceLocation)
            }
        }
    }
}
