/// A JSON value to write. Objects are written with their keys sorted, so the same
/// content always gives the same bytes.
public indirect enum JSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case string(String)
    case array([JSON])
    case object([String: JSON])
}
