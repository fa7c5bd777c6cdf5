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
        var assembler = ManifestAssembler()
        var diagnostics: [Diagnostic] = []
        for file in files {
            let bytes: [UInt8]
            do {
                bytes = try fileSystem.readFile(at: file, maxBytes: limits.maxBytes)
            } catch {
                diagnostics.append(.error(error.description.dropPrefix("\(file): "), at: SourceLocation(file: file, line: 1, column: 1)))
                continue
            }
            let documents: [YAMLDocument]
            do {
                documents = try YAMLParser.parse(bytes, limits: limits)
            } catch {
                diagnostics.append(.error(error.message, at: SourceLocation(file: file, mark: error.mark)))
                continue
            }
            var decoder = ManifestDecoder(file: file)
            for document in documents where !document.isEmpty {
                assembler.add(decoder.decode(document.root))
            }
            diagnostics += decoder.input.diagnostics
        }
        guard diagnostics.isEmpty else {
            throw DiagnosticsError(diagnostics + assembler.diagnostics)
        }
        return try assembler.finish(directory: directory, files: files)
    }

    /// The manifest files under `directory`, sorted. Dot-files and dot-folders are
    /// skipped; a symlink is followed only if it stays inside `directory`.
    public func manifestFiles(in directory: String) throws(DiagnosticsError) -> [String] {
        let root: String
        do {
            guard fileSystem.kind(of: directory) != nil else {
                throw DiagnosticsError(.error("no such manifests directory", at: SourceLocation(file: directory)))
            }
            root = try fileSystem.resolve(directory)
        } catch let error as DiagnosticsError {
            throw error
        } catch {
            throw DiagnosticsError(.error("\(error)", at: SourceLocation(file: directory)))
        }
        var files: [String] = []
        var diagnostics: [Diagnostic] = []
        var visited: Set<String> = [root]
        var pending = [directory]
        if fileSystem.kind(of: root) != .directory {
            throw DiagnosticsError(.error("not a directory", at: SourceLocation(file: directory)))
        }
        while let folder = pending.popLast() {
            let names: [String]
            do {
                names = try fileSystem.directoryEntries(at: folder)
            } catch {
                diagnostics.append(.error("cannot list directory: \(error.reason)", at: SourceLocation(file: folder)))
                continue
            }
            for name in names where !name.hasPrefix(".") {
                let path = PathComponents.join(folder, name)
                var kind = fileSystem.kind(of: path)
                if kind == .symlink {
                    guard let target = try? fileSystem.resolve(path) else {
                        diagnostics.append(.error("symlink points to nothing", at: SourceLocation(file: path)))
                        continue
                    }
                    guard target == root || target.hasPrefix(root.hasSuffix("/") ? root : root + "/") else {
                        diagnostics.append(
                            .error(
                                "symlink points outside the manifests directory (to \(target)); not followed",
                                at: SourceLocation(file: path)))
                        continue
                    }
                    kind = fileSystem.kind(of: target)
                    if kind == .directory {
                        guard visited.insert(target).inserted else { continue }
                    }
                } else if kind == .directory, let real = try? fileSystem.resolve(path) {
                    guard visited.insert(real).inserted else { continue }
                }
                switch kind {
                case .directory: pending.append(path)
                case .file where name.hasSuffix(".yaml") || name.hasSuffix(".yml"): files.append(path)
                default: break
                }
            }
        }
        guard diagnostics.isEmpty else { throw DiagnosticsError(diagnostics) }
        return files.sorted()
    }
}

extension String {
    fileprivate func dropPrefix(_ prefix: String) -> String {
        hasPrefix(prefix) ? String(dropFirst(prefix.count)) : self
    }
}
