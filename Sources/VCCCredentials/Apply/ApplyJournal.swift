import StrictJSON

/// `STATE.pending`: what an apply in progress is about to do, written before the sealed
/// file and removed after the audit log. A run that finds one knows the previous apply
/// was interrupted, and where: before its state commit (its sealed file, if any, holds
/// secrets of credentials that were never recorded) or after (only the audit lines are
/// missing). No secrets: a serial, a path, and audit lines.
///
/// Format: one line of JSON (`{formatVersion, sealedPath?, serial}`), then the audit
/// lines exactly as they will be appended.
struct ApplyJournal: Sendable, Equatable {
    static let formatVersion = 1

    var serial: Int
    var sealedPath: String?
    var auditLines: [UInt8]

    static func path(for statePath: String) -> String { statePath + ".pending" }

    func encoded() -> [UInt8] {
        var header: [String: JSON] = ["formatVersion": .int(Self.formatVersion), "serial": .int(serial)]
        if let sealedPath { header["sealedPath"] = .string(sealedPath) }
        return JSONWriter.compact(.object(header)) + [UInt8(ascii: "\n")] + auditLines
    }

    static func decode(_ bytes: [UInt8], file: String) throws(DiagnosticsError) -> ApplyJournal {
        let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex
        let headerBytes = Array(bytes[..<newline])
        let document: JSONDocument
        do {
            document = try JSONParser.parse(headerBytes)
        } catch {
            throw DiagnosticsError(.error(error.message, at: SourceLocation(file: file, mark: error.mark)))
        }
        var input = JSONInput(document: document, file: file)
        let keys = ["formatVersion", "serial", "sealedPath"]
        let object = input.object(document.root, "journal", keys: keys, required: ["formatVersion", "serial"])
        let version = input.int(object?["formatVersion"], "formatVersion", minimum: 1)
        if let version, version != formatVersion, let node = object?["formatVersion"] {
            input.error("journal format version \(version) is not supported", at: node.offset)
        }
        let serial = input.int(object?["serial"], "serial")
        let sealedPath = input.string(object?["sealedPath"], "sealedPath")
        guard let serial, !input.hasProblems else { throw DiagnosticsError(input.diagnostics()) }
        let audit = newline < bytes.endIndex ? Array(bytes[(newline + 1)...]) : []
        return ApplyJournal(serial: serial, sealedPath: sealedPath, auditLines: audit)
    }
}
