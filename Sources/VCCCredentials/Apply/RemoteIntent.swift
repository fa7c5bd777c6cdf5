import StrictJSON

/// A user change about to be sent to VCC's User Admin API, written to `STATE.remote`
/// (fsynced) before the request and removed once the state records the outcome. A run
/// killed in between leaves it; the next `apply` asks VCC what became of that user and
/// records exactly that (``RemoteSettlement``): never a second create, never a change
/// recorded that VCC did not make, never one made and lost. Reader and writer are here.
struct RemoteIntent: Sendable, Hashable {
    var action: Action
    /// The state's user id: VCC's username.
    var user: String
    /// VCC's id, when the state knows it (every change but a create of a new user).
    var vccUserId: String?
    /// The state the change was planned against.
    var lineage: String
    var serial: Int

    static func path(for statePath: String) -> String { StateStore.remoteIntentPath(for: statePath) }

    /// Sorted keys, one line.
    func encoded() -> [UInt8] {
        var out = JSONStreamWriter(style: .compact, capacity: 256)
        out.beginObject()
        out.field("action", action.rawValue)
        out.field("lineage", lineage)
        out.field("serial", serial)
        out.field("user", user)
        if let vccUserId { out.field("vccUserId", vccUserId) }
        out.endObject()
        var bytes = out.finish()
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }

    /// Reads one back as strictly as the state: anything else is an error naming the file.
    static func decode(_ bytes: [UInt8], file: String) throws(DiagnosticsError) -> RemoteIntent {
        var input = try JSONInput(parsing: bytes, file: file)
        let keys = ["action", "lineage", "serial", "user", "vccUserId"]
        let fields = input.object(
            input.document.root, "remote change", keys: keys, required: ["action", "lineage", "serial", "user"])
        let action = fields.flatMap { input.string($0["action"], "action") }.flatMap(Action.init(rawValue:))
        let lineage = fields.flatMap { input.string($0["lineage"], "lineage") }
        let serial = fields.flatMap { input.int($0["serial"], "serial", minimum: 1) }
        let user = fields.flatMap { input.string($0["user"], "user") }
        let vccUserId = fields.flatMap { $0["vccUserId"] }.flatMap { input.string($0, "vccUserId") }
        guard let action, let lineage, let serial, let user, !input.hasProblems else {
            if !input.hasProblems { input.error("not a remote change vcc-creds wrote", at: 0) }
            throw DiagnosticsError(input.diagnostics())
        }
        return RemoteIntent(action: action, user: user, vccUserId: vccUserId, lineage: lineage, serial: serial)
    }
}
