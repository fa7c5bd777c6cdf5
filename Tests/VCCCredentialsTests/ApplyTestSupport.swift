import AgeEncryption
import Crypto
import Foundation
import Synchronization
import VCCCredentials

/// Deterministic bytes (SHA-256 in counter mode over a seed), for reproducible secrets,
/// client IDs and sealed files in tests.
final class SeededRandom: RandomSource {
    private let state: Mutex<(seed: UInt64, counter: UInt64)>

    init(seed: UInt64) {
        state = Mutex((seed, 0))
    }

    func randomBytes(_ count: Int) -> [UInt8] {
        var output: [UInt8] = []
        while output.count < count {
            let block = state.withLock { value -> [UInt8] in
                value.counter += 1
                var input = withUnsafeBytes(of: value.seed.bigEndian, Array.init)
                input += withUnsafeBytes(of: value.counter.bigEndian, Array.init)
                return Array(SHA256.hash(data: input))
            }
            output += block.prefix(count - output.count)
        }
        return output
    }
}

/// Fails the Nth write operation (0-based) with an injected error, and counts them all:
/// the seam through which tests break apply at every step.
final class FaultyFileSystem: FileSystem {
    private let base = LocalFileSystem()
    private let failAt: Int?
    private let log = Mutex<[String]>([])

    init(failAt: Int? = nil) {
        self.failAt = failAt
    }

    /// The write operations attempted, in order (`"rename a -> b"`, ...).
    var operations: [String] { log.withLock { $0 } }

    private func step(_ description: String, _ path: String) throws(FileSystemError) {
        let index = log.withLock { operations -> Int in
            operations.append(description)
            return operations.count - 1
        }
        if index == failAt { throw FileSystemError(path: path, operation: description, reason: .injected) }
    }

    func status(of path: String) -> FileStatus? { base.status(of: path) }
    func readFile(at path: String, maxBytes: Int, followingLinks: Bool) throws(FileSystemError) -> [UInt8] {
        try base.readFile(at: path, maxBytes: maxBytes, followingLinks: followingLinks)
    }
    func readTail(of path: String, maxBytes: Int) throws(FileSystemError) -> [UInt8] {
        try base.readTail(of: path, maxBytes: maxBytes)
    }
    func directoryEntries(at path: String) throws(FileSystemError) -> [String] { try base.directoryEntries(at: path) }
    func resolve(_ path: String) throws(FileSystemError) -> String { try base.resolve(path) }

    func createFile(at path: String, contents: [UInt8], permissions: FilePermissions) throws(FileSystemError) {
        try step("create \(PathComponents.fileName(of: path))", path)
        try base.createFile(at: path, contents: contents, permissions: permissions)
    }
    func createFiles(_ files: [(path: String, temporary: String, contents: [UInt8])], permissions: FilePermissions)
        throws(FileSystemError)
    {
        for file in files { try step("create \(PathComponents.fileName(of: file.path))", file.path) }
        try base.createFiles(files, permissions: permissions)
    }
    func rename(_ source: String, to destination: String) throws(FileSystemError) {
        try step("rename -> \(PathComponents.fileName(of: destination))", destination)
        try base.rename(source, to: destination)
    }
    func moveWithoutReplacing(_ source: String, to destination: String) throws(FileSystemError) {
        try step("move -> \(PathComponents.fileName(of: destination))", destination)
        try base.moveWithoutReplacing(source, to: destination)
    }
    func syncDirectory(at path: String) throws(FileSystemError) {
        try step("sync \(path)", path)
        try base.syncDirectory(at: path)
    }
    func removeFile(at path: String) throws(FileSystemError) {
        try step("remove \(PathComponents.fileName(of: path))", path)
        try base.removeFile(at: path)
    }
    func appendLines(to path: String, contents: [UInt8], permissions: FilePermissions) throws(FileSystemError) {
        try step("append \(PathComponents.fileName(of: path))", path)
        try base.appendLines(to: path, contents: contents, permissions: permissions)
    }
    func truncateFile(at path: String, toSize size: Int) throws(FileSystemError) {
        try step("truncate \(PathComponents.fileName(of: path))", path)
        try base.truncateFile(at: path, toSize: size)
    }
    func makeDirectory(at path: String) throws(FileSystemError) {
        try step("mkdir \(path)", path)
        try base.makeDirectory(at: path)
    }
    func lock(_ path: String, holder: LockHolder, timeout: Double, permissions: FilePermissions) throws(LockError)
        -> any FileLock
    {
        try base.lock(path, holder: holder, timeout: timeout, permissions: permissions)
    }
}

/// A copy of the example account in a temp folder, with a key to open what apply seals.
struct ApplySandbox {
    let root: URL
    let identity: X25519Identity
    let originalState: [UInt8]

    static let clock = FixedClock(Date(timeIntervalSince1970: 1_800_000_000))

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("vcc-apply-\(UUID().uuidString)")
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: repository.appendingPathComponent("manifests"), to: root.appendingPathComponent("manifests"))
        try FileManager.default.copyItem(
            at: repository.appendingPathComponent("examples/acme/state.json"),
            to: root.appendingPathComponent("state.json"))
        originalState = Array(try Data(contentsOf: root.appendingPathComponent("state.json")))
        identity = X25519Identity.generate(random: { SeededRandom(seed: 99).randomBytes($0) })
    }

    func remove() { try? FileManager.default.removeItem(at: root) }

    func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    func options(actor: String = "sam@acme.example", allOrNothing: Bool = false, recipients: [String]? = nil)
        -> ApplyOptions
    {
        ApplyOptions(
            manifests: path("manifests"), statePath: path("state.json"), actors: [actor],
            recipients: recipients ?? [identity.recipient.description], sealedOut: path("secrets/acme-8.age"),
            allOrNothing: allOrNothing)
    }

    func apply(_ options: ApplyOptions, fileSystem: any FileSystem = LocalFileSystem(), seed: UInt64 = 1) throws
        -> ApplyResult
    {
        let environment = SystemEnvironment(fileSystem: fileSystem, clock: Self.clock, random: SeededRandom(seed: seed))
        return try Applier(environment: environment).apply(options)
    }

    func state() throws -> State {
        try StateStore().load(path("state.json")).state
    }

    /// Every sealed file under secrets/, opened: client ID -> secret.
    func sealedSecrets() throws -> [String: String] {
        let folder = root.appendingPathComponent("secrets")
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [:] }
        var secrets: [String: String] = [:]
        for name in names where name.hasSuffix(".age") && !name.hasPrefix(".") {
            let bytes = Array(try Data(contentsOf: folder.appendingPathComponent(name)))
            let plaintext = try Age.decrypt(bytes, identities: [identity])
            let json = try JSONSerialization.jsonObject(with: Data(plaintext)) as! [String: Any]
            for entry in json["credentials"] as! [[String: Any]] {
                secrets[entry["clientId"] as! String] = entry["clientSecret"] as? String
            }
        }
        return secrets
    }

    /// Every file in the sandbox except sealed ones, as text, to search for leaks.
    func unsealedFileContents() throws -> [String: String] {
        var contents: [String: String] = [:]
        let enumerator = FileManager.default.enumerator(atPath: root.path)
        while let relative = enumerator?.nextObject() as? String {
            let url = root.appendingPathComponent(relative)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue,
                !relative.hasSuffix(".age")
            else { continue }
            contents[relative] = String(decoding: try Data(contentsOf: url), as: UTF8.self)
        }
        return contents
    }
}
