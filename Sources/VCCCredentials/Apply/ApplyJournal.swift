import StrictJSON

/// `STATE.pending`: what an apply in progress is about to do, written before the sealed
/// file and removed after the audit log. A run that finds one knows the previous apply
/// was interrupted, and where: before its state commit (its sealed file, if any, holds
/// secrets of credentials that were never recorded) or after (audit lines are missing).
/// No secrets: digests, a path, and audit lines.
///
/// It is bound to what it journals, so recovery acts on nothing else: the state's
/// lineage, the serial and SHA-256 of the state before and after, the sealed file's
/// absolute path and SHA-256, and a digest of the journal itself.
///
/// Format: one line of JSON (`{files?: [{path, sha256}], formatVersion, index?, lineage,
/// next: {serial, sha256}, previous: {serial, sha256}, replaced?: [{path, sha256,
/// staged}], sealed?: {path, sha256}}`), the audit lines exactly as they will be
/// appended, then `{"sha256": ...}`: the SHA-256 of everything before that last line.
/// `files` are credentials' own new sealed files, `replaced` the files `rekey` replaces
/// (each written first at `staged`, renamed over `path` once the state is committed),
/// `index` the sealed-output index to rewrite from the committed state. A journal
/// without them is written as format 2, which an older vcc-creds reads.
struct ApplyJournal: Sendable, Equatable {
    static let formatVersion = 3
    static let readableFormatVersions = 2...formatVersion

    /// A state file's version: its serial and the SHA-256 of its bytes.
    struct StateVersion: Sendable, Equatable {
        var serial: Int
        var sha256: String
    }

    /// The sealed file an apply writes: where, and which bytes.
    struct SealedFile: Sendable, Equatable {
        /// Absolute, so a rerun from another folder finds the same file.
        var path: String
        var sha256: String
    }

    var lineage: String
    var previous: StateVersion
    var next: StateVersion
    var sealed: SealedFile?
    var auditLines: [UInt8]
    /// Credentials' own new sealed files (absolute paths).
    var files: [SealedFile] = []
    /// Sealed files a rekey replaces (absolute paths).
    var replaced: [Replacement] = []
    /// The sealed-output index to write from the committed state (absolute path).
    var index: String?

    /// A sealed file replaced in two steps: the new bytes written at `staged` before the
    /// state commits, renamed over `path` after.
    struct Replacement: Sendable, Equatable {
        var path: String
        var staged: String
        var sha256: String
    }

    /// 2 when nothing format 3 added is used.
    var writtenFormatVersion: Int { files.isEmpty && replaced.isEmpty && index == nil ? 2 : 3 }

    static func path(for statePath: String) -> String { StateStore.journalPath(for: statePath) }

    func encoded() -> [UInt8] {
        var header = JSONStreamWriter(style: .compact, capacity: 512)
        func version(_ name: String, _ value: StateVersion) {
            header.key(name)
            header.beginObject()
            header.field("serial", value.serial)
            header.field("sha256", value.sha256)
            header.endObject()
        }
        header.beginObject()
        if !files.isEmpty {
            header.key("files")
            header.beginArray()
            for file in files {
                header.element()
                header.beginObject()
                header.field("path", file.path)
                header.field("sha256", file.sha256)
                header.endObject()
            }
            header.endArray()
        }
        header.field("formatVersion", writtenFormatVersion)
        if let index { header.field("index", index) }
        header.field("lineage", lineage)
        version("next", next)
        version("previous", previous)
        if !replaced.isEmpty {
            header.key("replaced")
            header.beginArray()
            for file in replaced {
                header.element()
                header.beginObject()
                header.field("path", file.path)
                header.field("sha256", file.sha256)
                header.field("staged", file.staged)
                header.endObject()
            }
            header.endArray()
        }
        if let sealed {
            header.key("sealed")
            header.beginObject()
            header.field("path", sealed.path)
            header.field("sha256", sealed.sha256)
            header.endObject()
        }
        header.endObject()
        header.endLine()
        let body = header.finish() + auditLines
        var digest = JSONStreamWriter(style: .compact, capacity: 96)
        digest.beginObject()
        digest.field("sha256", Digest.sha256Hex(body))
        digest.endObject()
        digest.endLine()
        return body + digest.finish()
    }

    /// What every refusal of a journal adds: recovery did nothing, and the way out.
    static let untouched = "; nothing was renamed or appended. If no apply was interrupted here, remove it"

    /// Reads a journal, refusing one that is not whole and unedited: its digest line
    /// must match everything before it.
    static func decode(_ bytes: [UInt8], file: String) throws(DiagnosticsError) -> ApplyJournal {
        func refuse(_ problem: String, line: Int) -> DiagnosticsError {
            DiagnosticsError(.error(problem + untouched, at: SourceLocation(file: file, line: line, column: 1)))
        }
        // A journal of another format version (an older vcc-creds's) says so first.
        let firstLine = Array(bytes.prefix { $0 != UInt8(ascii: "\n") })
        if case .object(let members)? = try? JSONParser.parse(firstLine).root.content,
            let version = JSONFields(members: members)["formatVersion"]?.int, !readableFormatVersions.contains(version)
        {
            throw refuse(
                "journal format version \(version) is not supported (this vcc-creds writes \(formatVersion)): finish "
                    + "the interrupted apply with the vcc-creds that started it",
                line: 1)
        }
        guard bytes.last == UInt8(ascii: "\n"),
            let digestStart = bytes.dropLast().lastIndex(of: UInt8(ascii: "\n")).map({ $0 + 1 })
        else {
            throw refuse("not a journal vcc-creds wrote (it has no digest line), or one cut short", line: 1)
        }
        let body = Array(bytes[..<digestStart])
        let digestLine = body.reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
        guard
            case .object(let members)? = try? JSONParser.parse(Array(bytes[digestStart..<(bytes.count - 1)])).root
                .content,
            members.count == 1, members[0].key == "sha256", case .string(let digest) = members[0].value.content
        else {
            throw refuse("the last line must be the journal's digest, {\"sha256\": ...}", line: digestLine)
        }
        guard digest == Digest.sha256Hex(body) else {
            throw refuse(
                "the journal does not match its digest: it was edited, or vcc-creds did not write it", line: digestLine)
        }
        let newline = body.firstIndex(of: UInt8(ascii: "\n"))!
        let header = try decodeHeader(Array(body[..<newline]), file: file)
        var journal = header
        journal.auditLines = Array(body[(newline + 1)...])
        return journal
    }

    private static func decodeHeader(_ bytes: [UInt8], file: String) throws(DiagnosticsError) -> ApplyJournal {
        var input = try JSONInput(parsing: bytes, file: file)
        let keys = ["files", "formatVersion", "index", "lineage", "previous", "next", "replaced", "sealed"]
        let object = input.object(
            input.document.root, "journal", keys: keys, required: ["formatVersion", "lineage", "previous", "next"])
        _ = input.int(object?["formatVersion"], "formatVersion", minimum: 1)
        let lineage = input.string(object?["lineage"], "lineage")
        let previous = object?["previous"].flatMap { decodeVersion($0, "previous", &input) }
        let next = object?["next"].flatMap { decodeVersion($0, "next", &input) }
        var sealed: SealedFile?
        if let node = object?["sealed"],
            let fields = input.object(node, "sealed", keys: ["path", "sha256"], required: ["path", "sha256"])
        {
            // Any path apply could have sealed to (the current folder may hold any
            // character): it is escaped wherever it is shown.
            let digest = input.digest(fields["sha256"], "sealed.sha256")
            if let pathNode = fields["path"] {
                if case .string(let path) = pathNode.content {
                    if !path.hasPrefix("/") {
                        input.error("sealed.path must be absolute\(untouched)", at: pathNode.offset)
                    }
                    sealed = digest.map { SealedFile(path: path, sha256: $0) }
                } else {
                    input.wrongKind(pathNode, "sealed.path", expected: "a string")
                }
            }
        }
        var files: [SealedFile] = []
        for (position, node) in (object?["files"].flatMap { input.array($0, "files") } ?? []).enumerated() {
            let what = "files[\(position)]"
            guard let fields = input.object(node, what, keys: ["path", "sha256"], required: ["path", "sha256"]),
                let path = absolutePath(fields["path"], "\(what).path", &input),
                let digest = input.digest(fields["sha256"], "\(what).sha256")
            else { continue }
            files.append(SealedFile(path: path, sha256: digest))
        }
        var replaced: [Replacement] = []
        for (position, node) in (object?["replaced"].flatMap { input.array($0, "replaced") } ?? []).enumerated() {
            let what = "replaced[\(position)]"
            let keys = ["path", "sha256", "staged"]
            guard let fields = input.object(node, what, keys: keys, required: keys),
                let path = absolutePath(fields["path"], "\(what).path", &input),
                let staged = absolutePath(fields["staged"], "\(what).staged", &input),
                let digest = input.digest(fields["sha256"], "\(what).sha256")
            else { continue }
            replaced.append(Replacement(path: path, staged: staged, sha256: digest))
        }
        let index = object?["index"].flatMap { absolutePath($0, "index", &input) }
        if let previous, let next, next.serial != previous.serial + 1, let node = object?["next"] {
            input.error(
                "next.serial \(next.serial) does not follow previous.serial \(previous.serial)\(untouched)",
                at: node.offset)
        }
        guard let lineage, let previous, let next, !input.hasProblems else {
            throw DiagnosticsError(input.diagnostics())
        }
        return ApplyJournal(
            lineage: lineage, previous: previous, next: next, sealed: sealed, auditLines: [], files: files,
            replaced: replaced, index: index)
    }

    private static func absolutePath(_ node: JSONValue?, _ what: String, _ input: inout JSONInput) -> String? {
        guard let node else { return nil }
        guard case .string(let path) = node.content else {
            input.wrongKind(node, what, expected: "a string")
            return nil
        }
        guard path.hasPrefix("/") else {
            input.error("\(what) must be absolute\(untouched)", at: node.offset)
            return nil
        }
        return path
    }

    private static func decodeVersion(_ value: JSONValue, _ what: String, _ input: inout JSONInput) -> StateVersion? {
        guard let fields = input.object(value, what, keys: ["serial", "sha256"], required: ["serial", "sha256"]),
            let serial = input.int(fields["serial"], "\(what).serial"),
            let digest = input.digest(fields["sha256"], "\(what).sha256")
        else { return nil }
        return StateVersion(serial: serial, sha256: digest)
    }
}
