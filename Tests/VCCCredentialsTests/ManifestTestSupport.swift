import Foundation
import Testing
import VCCCredentials

/// A fresh, empty folder under the system temp directory for one test. Call
/// ``remove()`` in a `defer`.
struct ScratchFolder {
    let path: String

    init(_ label: String = "vcc-creds-test") throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        // Resolve once so paths in messages and realpath agree even if TMPDIR is a symlink.
        path = try LocalFileSystem().resolve(url.path)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }

    func url(_ relative: String) -> URL { URL(fileURLWithPath: path).appendingPathComponent(relative) }

    /// The absolute path of `relative` inside the folder.
    func file(_ relative: String) -> String { path + "/" + relative }

    /// Writes `text` at `relative`, creating parent folders.
    func write(_ relative: String, _ text: String) throws {
        try write(relative, bytes: Array(text.utf8))
    }

    func write(_ relative: String, bytes: [UInt8]) throws {
        let url = url(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
    }

    func makeDirectory(_ relative: String) throws {
        try FileManager.default.createDirectory(at: url(relative), withIntermediateDirectories: true)
    }

    /// Creates a symlink at `relative` whose content is exactly `destination`.
    func symlink(_ relative: String, to destination: String) throws {
        try FileManager.default.createSymbolicLink(atPath: file(relative), withDestinationPath: destination)
    }

    func read(_ relative: String) throws -> [UInt8] {
        Array(try Data(contentsOf: url(relative)))
    }

    func entries(_ relative: String = "") throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: relative.isEmpty ? path : file(relative)).sorted()
    }

    // MARK: Manifests

    func load() throws(DiagnosticsError) -> Desired {
        try ManifestLoader(fileSystem: LocalFileSystem()).load(directory: path)
    }

    /// Shortens the folder's path in a message: `<folder>/a.yaml` becomes `a.yaml`, the
    /// folder itself `<dir>`.
    func shorten(_ text: String) -> String {
        text.replacingOccurrences(of: path + "/", with: "").replacingOccurrences(of: path, with: "<dir>")
    }

    /// The diagnostics of a load that must fail, as printed (`file:line:column: error: message`),
    /// with the folder's path shortened by ``shorten(_:)``.
    func loadErrors(sourceLocation: Testing.SourceLocation = #_sourceLocation) -> [String] {
        do {
            let desired = try load()
            Issue.record(
                "expected the manifests to be rejected, but they loaded: \(desired)", sourceLocation: sourceLocation)
            return []
        } catch {
            return error.diagnostics.map { shorten($0.description) }
        }
    }
}

enum DomainSamples {
    /// The package's root folder (holding Package.swift), found from this file's path.
    static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// Syntactically valid age X25519 recipients (age1 + 58 Bech32 characters).
    static let recipient = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p"
    static let otherRecipient = "age1lggyhqrw2nlhcxprm67z43rta597azn8gknawjehu9d9dl0jq3yqqvfafg"
}
