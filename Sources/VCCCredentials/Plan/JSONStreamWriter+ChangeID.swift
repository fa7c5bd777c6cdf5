import StrictJSON

/// Change ids in every JSON vcc-creds writes (plans, states, apply results, audit lines)
/// are their one spelling, ``ChangeID/description``.
extension JSONStreamWriter {
    mutating func field(_ key: String, _ id: ChangeID) { field(key, id.description) }

    mutating func strings(_ ids: [ChangeID]) { strings(ids.map(\.description)) }
}
