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
            throw DiagnosticsError(.syntax(error, in: file))
        }
        if let state, reader.problems.isEmpty {
            reader.validate(state)
            reader.validatePending(state)
        }
        guard let state, reader.problems.isEmpty else {
            throw DiagnosticsError(reader.problems.diagnostics(in: bytes))
        }
        return state
    }

    /// The canonical bytes: sorted keys and arrays, two-space indent, newline at end.
    public static func encode(_ state: State) -> [UInt8] {
        StateWriter.encode(state.sorted())
    }
}
