import Foundation
import Synchronization
import Testing

/// Several applies on one state at once: one at a time, losers told who holds the lock
/// (or waiting with --lock-timeout), and never a lost update.
@Suite struct ConcurrencyTests {
    /// Starts every run at once and waits for all.
    private func runAll(_ runs: [[String]], in directory: URL) throws -> [CLI.Result] {
        let results = Mutex<[Int: CLI.Result]>([:])
        let errors = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: runs.count) { index in
            do {
                let result = try CLI.run(runs[index], in: directory)
                results.withLock { $0[index] = result }
            } catch {
                errors.withLock { $0.append("\(error)") }
            }
        }
        #expect(errors.withLock { $0 }.isEmpty)
        return results.withLock { dictionary in runs.indices.compactMap { dictionary[$0] } }
    }

    private static let recipient = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p"

    private func apply(_ actor: String, manifests: String = "manifests", timeout: Int? = nil) -> [String] {
        ["apply", "--manifests", manifests, "--state", "state.json", "--as", actor, "--recipient", Self.recipient]
            + (timeout.map { ["--lock-timeout", "\($0)"] } ?? [])
    }

    private func serial(_ sandbox: Sandbox) throws -> Int {
        let json = try JSONSerialization.jsonObject(with: Data(try sandbox.read("state.json").utf8)) as! [String: Any]
        return json["serial"] as! Int
    }

    /// Four identical applies with a lock timeout: each waits its turn; the first applies,
    /// the others find nothing left to do. One new serial, one set of audit lines.
    @Test func waitingRunsApplyOnceBetweenThem() throws {
        let sandbox = try Sandbox.acme()
        let results = try runAll(Array(repeating: apply("sam@acme.example", timeout: 60), count: 4), in: sandbox.url)
        #expect(results.allSatisfy { $0.status == 3 }, "\(results.map(\.stderr))")
        #expect(results.filter { $0.stdout.contains("Apply complete!") }.count == 1)
        #expect(results.filter { $0.stdout.contains("Nothing to apply.") }.count == 3)
        #expect(try serial(sandbox) == 8)
        let audit = try sandbox.read("state.json.audit.jsonl").split(separator: "\n")
        #expect(audit.count == 3)
        #expect(!FileManager.default.fileExists(atPath: sandbox.path("state.json.lock")))
    }

    /// Without a timeout, whoever does not get the lock exits 5 and names the holder;
    /// whoever gets it applies. Never two writers: the serial moves by one per success.
    @Test func losersExitFiveNamingTheHolder() throws {
        let sandbox = try Sandbox.acme()
        let results = try runAll(Array(repeating: apply("sam@acme.example"), count: 6), in: sandbox.url)
        let winners = results.filter { $0.stdout.contains("Apply complete!") }
        let losers = results.filter { $0.status == 5 }
        #expect(winners.count == 1)
        for loser in losers {
            #expect(loser.stderr.hasPrefix("state.json: error: is locked by another run (pid "))
            #expect(loser.stderr.contains(" since 20"))
            #expect(loser.stderr.split(separator: "\n").count == 1)
        }
        // Everyone else either lost the race (5) or came after and had nothing to do (3).
        #expect(results.allSatisfy { [3, 5].contains($0.status) })
        #expect(try serial(sandbox) == 8)
    }

    /// Two runs with different manifests and actors, at the same time: each plans again
    /// under the lock, so the second builds on the first's state. Both changes survive.
    @Test func noLostUpdates() throws {
        let sandbox = try Sandbox.acme()
        try FileManager.default.copyItem(
            at: sandbox.url.appendingPathComponent("manifests"), to: sandbox.url.appendingPathComponent("alice"))
        try sandbox.write(
            "alice/credentials/extra.yaml",
            "credentials:\n  - {name: alice-extra, owner: alice@acme.example, scopes: [stats]}\n")
        try FileManager.default.copyItem(
            at: sandbox.url.appendingPathComponent("manifests"), to: sandbox.url.appendingPathComponent("bob"))
        try sandbox.write(
            "bob/credentials/extra.yaml",
            "credentials:\n  - {name: bob-extra, owner: bob@acme.example, scopes: [stats]}\n")
        let runs = [
            apply("alice@acme.example", manifests: "alice", timeout: 60),
            apply("bob@acme.example", manifests: "bob", timeout: 60),
        ]
        let results = try runAll(runs, in: sandbox.url)
        #expect(results.allSatisfy { [0, 3].contains($0.status) }, "\(results.map(\.stderr))")
        #expect(try serial(sandbox) == 9)
        let state = try sandbox.read("state.json")
        #expect(state.contains("\"name\": \"alice-extra\""))
        #expect(state.contains("\"name\": \"bob-extra\""))
        let sealed = try FileManager.default.contentsOfDirectory(atPath: sandbox.path("secrets")).sorted()
        #expect(sealed == ["acme-8.age", "acme-9.age"])
    }
}
