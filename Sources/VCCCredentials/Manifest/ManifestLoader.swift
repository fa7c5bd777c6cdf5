import StrictYAML

/// Reads every `*.yaml` / `*.yml` under a folder, recursively and in sorted path order,
/// into one ``Desired``. All problems in all files are reported together.
public struct ManifestLoader: Sendable {
    public var fileSystem: any FileSystem
    public var limits: YAMLLimits

    public init(fileSystem: any FileSystem = LocalFileSystem(), limits: YAMLLimits = .standard) {
        self.fileSystem = fileSystem
        self.limits = limits
    }

    public func load(directory: String) throws(DiagnosticsError) -> Desired {
        let files = try manifestFiles(in: directory)
        // Files are read and decoded in parallel, then merged in path order, so the
        // result and every message are the same as one after another.
        let decoded = Parallel.map(files) { file in decode(file) }
        var assembler = ManifestAssembler()
        assembler.add(decoded.flatMap(\.fragments))
        let diagnostics = decoded.flatMap(\.diagnostics)
        guard diagnostics.isEmpty else {
            throw DiagnosticsError(diagnostics + assembler.diagnostics)
        }
        return try assembler.finish(directory: directory, files: files)
    }

    /// One file's documents, or what is wrong with it.
    private func decode(_ file: String) -> (fragments: [ManifestFragment], diagnostics: [Diagnostic]) {
        let bytes: [UInt8]
        do {
            bytes = try fileSystem.readFile(at: file, maxBytes: limits.maxBytes)
        } catch {
            return ([], error.diagnostics)
        }
        let documents: [YAMLDocument]
        do {
            documents = try YAMLParser.parse(bytes, limits: limits)
        } catch {
            return ([], [.syntax(error, in: file)])
        }
        var decoder = ManifestDecoder(file: file)
        let fragments = documents.filter { !$0.isEmpty }.map { decoder.decode($0.root) }
        return (fragments, decoder.input.diagnostics)
    }

    /// The manifest files under `directory`, sorted. Dot-files and dot-folders are
    /// skipped; a symlink is followed only if it stays inside `directory`; a file reached
    /// by two paths is read once, under the first path in sorted order.
    public func manifestFiles(in directory: String) throws(DiagnosticsError) -> [String] {
        guard fileSystem.kind(of: directory) != nil else {
            throw DiagnosticsError(.error("no such manifests directory", at: SourceLocation(file: directory)))
        }
        let root: String
        do {
            root = try fileSystem.resolve(directory)
        } catch {
            throw DiagnosticsError(.error("\(error.reason)", at: SourceLocation(file: directory)))
        }
        guard fileSystem.kind(of: root) == .directory else {
            throw DiagnosticsError(.error("not a directory", at: SourceLocation(file: directory)))
        }
        let inside = root.hasSuffix("/") ? root : root + "/"
        var found: [(path: String, real: String)] = []
        var diagnostics: [Diagnostic] = []
        var visited: Set<String> = [root]
        var pending = [directory]
        while !pending.isEmpty {
            let folder = pending.removeFirst()
            let names: [String]
            do {
                names = try fileSystem.directoryEntries(at: folder).sorted()
            } catch {
                diagnostics.append(.error("cannot list directory: \(error.reason)", at: SourceLocation(file: folder)))
                continue
            }
            for name in names where !name.hasPrefix(".") {
                let path = PathComponents.join(folder, name)
                let isManifest = name.hasSuffix(".yaml") || name.hasSuffix(".yml")
                guard let kind = fileSystem.kind(of: path), kind == .directory || kind == .symlink || isManifest
                else { continue }
                guard let real = try? fileSystem.resolve(path) else {
                    diagnostics.append(
                        .error("symlink points to nothing, or loops", at: SourceLocation(file: path)))
                    continue
                }
                guard real == root || real.hasPrefix(inside) else {
                    diagnostics.append(
                        .error(
                            "symlink points outside the manifests directory (to \(real)); not followed",
                            at: SourceLocation(file: path)))
                    continue
                }
                switch fileSystem.kind(of: real) {
                case .directory:
                    if visited.insert(real).inserted { pending.append(path) }
                case .file:
                    if isManifest { found.append((path, real)) }
                case .symlink, .other, nil:
                    // Links are resolved above; FIFOs, sockets and devices are not manifests.
                    break
                }
            }
        }
        guard diagnostics.isEmpty else { throw DiagnosticsError(diagnostics) }
        var seen = Set<String>()
        return found.sorted { $0.path < $1.path }.filter { seen.insert($0.real).inserted }.map(\.path)
    }
}
