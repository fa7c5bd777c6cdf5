import StrictJSON

/// `STATE.pending`: what an apply in progress is about to do, written before the sealed
/// file and removed after the audit log. A run that finds one knows the previous apply
/// was interrupted, and where: before its state commit (its sealed file, if any, holds
/// secrets of credentials that were never recorded) or after (only the audit lines are
/// missing). No secrets: a serial, a path, and audit lines.
struct ApplyJournal: Sendable, Equatable {
    static let formatVersion = 1

    var serial: Int
    var sealedPath: String?
    var auditLines: [UInt8]

    static func path(for statePath: String) -> String { statePath + ".pending" }

    func encoded() -> [UInt8] {
        var fields: [String: JSON] = [
            "formatVersion": .int(Self.formatVersion),
            "serial": .int(serial),
            "audit": .string(String(decoding: auditLines, as: UTF8.self)),
        ]
        if let sealedPath { fields["sealedPath"] = .string(sealedPath) }
        return JSONWriter.pretty(.object(fields))
    }

    static func decode(_ bytes: [UInt8], file: String) throws(DiagnosticsError) -> ApplyJournal {
        let document: JSONDocument
        do {
            document = try JSONParser.parse(bytes)
        } catch {
            throw DiagnosticsError(.error(error.message, at: SourceLocation(file: file, mark: error.mark)))
        }
        var input = JSONInput(document: document, file: file)
        let keys = ["formatVersion", "serial", "sealedPath", "audit"]
        let object = input.object(document.root, "journal", keys: keys, required: ["formatVersion", "serial", "audit"])
        let version = input.int(object?["formatVersion"], "formatVersion", minimum: 1)
        if let version, version != formatVersion, let node = object?["formatVersion"] {
            input.error("journal format version \(version) is not supported", at: node.offset)
        }
        let serial = input.int(object?["serial"], "serial")
        let sealedPath = input.string(object?["sealedPath"], "sealedPath")
        let audit = input.string(object?["audit"], "audit")
        guard let serial, let audit, !input.hasProblems else { throw DiagnosticsError(input.diagnostics()) }
        return ApplyJournal(serial: serial, sealedPath: sealedPath, auditLines: Array(audit.utf8))
    }
}
