import StrictJSON

/// Reads and writes the state file's JSON. Reading validates everything a later stage
/// relies on; a state that fails is reported whole and never repaired.
public enum StateCodec {
    /// Parses and validates a state file's bytes; `file` names it in diagnostics.
    public static func decode(_ bytes: [UInt8], file: String) throws(DiagnosticsError) -> State {
        var reader = StateReader(file: file)
        let state: State?
        do {
            state = try JSONCursor.read(bytes) { cursor throws(SyntaxError) in try reader.readState(&cursor) }
        } catch {
            throw DiagnosticsError(.error(error.message, at: SourceLocation(file: file, mark: error.mark)))
        }
        if let state, reader.problems.isEmpty { reader.validate(state) }
        guard let state, reader.problems.isEmpty else {
            throw DiagnosticsError(reader.problems.diagnostics(in: bytes))
        }
        return state
    }

    /// The canonical bytes: sorted keys and arrays, two-space indent, newline at end.
    public static func encode(_ state: State) -> [UInt8] {
        StateWriter.encode(state.sorted())
    }

    static func json(_ state: State) -> JSON {
        let sorted = state.sorted()
        return .object([
            "formatVersion": .int(sorted.formatVersion),
            "lineage": .string(sorted.lineage),
            "serial": .int(sorted.serial),
            "account": .object([
                "id": .string(sorted.account.id),
                "apiCredentialsEnabled": .bool(sorted.account.apiCredentialsEnabled),
            ]),
            "users": .array(
                sorted.users.map { user in
                    .object(["id": .string(user.id), "name": .string(user.name), "license": .string(user.license.rawValue)])
                }),
            "credentials": .array(sorted.credentials.map(json)),
        ])
    }

    private static func json(_ credential: Credential) -> JSON {
        var fields: [String: JSON] = [
            "clientId": .string(credential.clientId),
            "name": .string(credential.name),
            "level": .string(credential.level.rawValue),
            "scopes": .array(credential.scopes.identifiers.map(JSON.string)),
            "secretSha256": .string(credential.secretSha256),
            "createdAt": .string(credential.createdAt.text),
            "createdBy": .string(credential.createdBy),
            "updatedAt": .string(credential.updatedAt.text),
        ]
        if let owner = credential.owner { fields["owner"] = .string(owner) }
        return .object(fields)
    }
}
