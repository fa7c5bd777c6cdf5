import Foundation
import Testing

/// Runs the real `vcc-creds` binary, built beside this test bundle.
enum CLI {
    struct Result: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The built executable: next to the test bundle in the build folder, or the one
    /// `VCC_CREDS_TEST_BINARY` names (to show a new test fails on an older build).
    static let executable: URL = {
        if let other = ProcessInfo.processInfo.environment["VCC_CREDS_TEST_BINARY"], !other.isEmpty {
            return URL(fileURLWithPath: other)
        }
        let me = URL(
            fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
                ?? CommandLine.arguments[0])
        var folder = me.deletingLastPathComponent()
        while !FileManager.default.isExecutableFile(atPath: folder.appendingPathComponent("vcc-creds").path) {
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { break }
            folder = parent
        }
        return folder.appendingPathComponent("vcc-creds")
    }()

    @discardableResult
    static func run(
        _ arguments: [String], in directory: URL, environment: [String: String] = [:], stdin: String? = nil
    ) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "NO_COLOR")
        // The tool's own defaults come only from what a test gives.
        for key in ["VCC_CREDS_AS", "VCC_CREDS_STATE", "VCC_CREDS_MANIFESTS"] { env.removeValue(forKey: key) }
        // One time for every run unless a test gives its own ("" for the real clock): a
        // plan records when it was made, so two runs a second apart would differ.
        env["VCC_CREDS_NOW"] = Golden.clock["VCC_CREDS_NOW"]
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("vcc-creds-io-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let out = scratch.appendingPathComponent("stdout")
        let err = scratch.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        let input = Pipe()
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            stdout: try String(contentsOf: out, encoding: .utf8),
            stderr: try String(contentsOf: err, encoding: .utf8))
    }
}

/// A temp folder for one test, removed when it ends.
final class Sandbox {
    let url: URL
    /// The sandbox this one is a folder of, kept alive as long as this one.
    private let parent: Sandbox?

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("vcc-creds-e2e-\(UUID().uuidString)")
        parent = nil
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// A sandbox in a folder of `parent`'s, under any name (odd characters included).
    init(inside parent: Sandbox, named name: String) throws {
        url = parent.url.appendingPathComponent(name)
        self.parent = parent
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func path(_ relative: String) -> String { url.appendingPathComponent(relative).path }

    func write(_ relative: String, _ text: String) throws {
        let file = url.appendingPathComponent(relative)
        try FileManager.default.createDirectory(
            at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: file)
    }

    func read(_ relative: String) throws -> String {
        try String(contentsOf: url.appendingPathComponent(relative), encoding: .utf8)
    }

    /// The example account: the repository's manifests/ and examples/acme/state.json as
    /// state.json.
    static func acme() throws -> Sandbox {
        let sandbox = try Sandbox()
        try sandbox.copyAcmeExampleAccount()
        return sandbox
    }

    /// Copies the example account (``acme()``) into this sandbox.
    func copyAcmeExampleAccount() throws {
        try FileManager.default.copyItem(
            at: Repository.root.appendingPathComponent("manifests"), to: url.appendingPathComponent("manifests"))
        try FileManager.default.copyItem(
            at: Repository.root.appendingPathComponent("examples/acme/state.json"),
            to: url.appendingPathComponent("state.json"))
    }

    /// Copies a fixture folder (under Tests/EndToEndTests/Fixtures) into the sandbox.
    func copyFixture(_ name: String, to relative: String = ".") throws {
        let source = Repository.fixtures.appendingPathComponent(name)
        for item in try FileManager.default.contentsOfDirectory(atPath: source.path) {
            let destination = url.appendingPathComponent(relative).appendingPathComponent(item)
            try FileManager.default.createDirectory(
                at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: source.appendingPathComponent(item), to: destination)
        }
    }

    /// Every file under the sandbox with its bytes: to prove a failed run wrote nothing.
    func snapshot() throws -> [String: Data] {
        var files: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(atPath: url.path)
        while let relative = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            let full = url.appendingPathComponent(relative).path
            if FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue {
                files[relative] = try Data(contentsOf: URL(fileURLWithPath: full))
            }
        }
        return files
    }
}

/// Paths inside the repository, found from this source file.
enum Repository {
    static let testsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let root = testsFolder.deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = testsFolder.appendingPathComponent("Fixtures")
    static let golden = testsFolder.appendingPathComponent("Golden")
}

/// Golden files for rendered output. `VCC_CREDS_UPDATE_GOLDEN=1 swift test` rewrites
/// them; the diff is then reviewed like code.
enum Golden {
    /// The time golden plans are made at (`VCC_CREDS_NOW`): their JSON and Markdown
    /// record it.
    static let clock = ["VCC_CREDS_NOW": "2026-12-01T09:00:00Z"]

    static var updating: Bool { ProcessInfo.processInfo.environment["VCC_CREDS_UPDATE_GOLDEN"] == "1" }

    static func check(_ actual: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let file = Repository.golden.appendingPathComponent(name)
        if updating {
            try Data(actual.utf8).write(to: file)
            return
        }
        guard let expected = try? String(contentsOf: file, encoding: .utf8) else {
            Issue.record(
                "missing golden file \(name); run VCC_CREDS_UPDATE_GOLDEN=1 swift test", sourceLocation: sourceLocation)
            return
        }
        if actual != expected {
            Issue.record(
                """
                differs from golden file \(name) (VCC_CREDS_UPDATE_GOLDEN=1 swift test rewrites it; review the diff):
                \(UnifiedDiff.render(expected: expected, actual: actual))
                """, sourceLocation: sourceLocation)
        }
    }
}

/// The users of the example accounts, spelled once for every test: `acme` is the
/// repository's example (manifests/ and examples/acme), `small` the fixtures'.
enum Acme {
    static let alice = "alice@acme.example"
    static let sam = "sam@acme.example"
}

enum Small {
    static let alice = "alice@small.example"
    static let sam = "sam@small.example"
}
