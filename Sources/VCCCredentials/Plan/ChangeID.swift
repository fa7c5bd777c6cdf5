/// What a change acts on, spelled one way everywhere: plans, saved plans, pending steps,
/// `record`, `--target`. Built from its parts and parsed back in this file only, so no
/// caller builds or takes apart the text.
///
/// Spellings: `user:ID`, `credential:CLIENT-ID`, and `credential:OWNER/NAME`
/// (`credential:account/NAME` for an account-level one) for a credential that has no
/// client ID yet.
public enum ChangeID: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// A user, by id.
    case user(String)
    /// A credential the state holds, by client ID.
    case credential(clientId: String)
    /// A credential still to be made (or an entry matching several), by owner and name.
    case unminted(CredentialAddress)

    /// The spellings, for messages.
    public static let spellings = "user:ID, credential:CLIENT-ID, credential:OWNER/NAME"

    /// The id of a credential still to be made from `spec`.
    public static func unminted(_ spec: CredentialSpec) -> ChangeID { .unminted(CredentialAddress(spec)) }

    public var description: String {
        switch self {
        case .user(let id): "user:\(id)"
        case .credential(let clientId): "credential:\(clientId)"
        case .unminted(let address): "credential:\(address)"
        }
    }

    /// Parses a spelling as ``description`` writes it; nil for anything else. A
    /// credential's part is a client ID when it has no `/`, an address otherwise.
    public init?(_ text: String) {
        if text.hasPrefix("user:") {
            let id = String(text.dropFirst("user:".count))
            guard !id.isEmpty else { return nil }
            self = .user(id)
        } else if text.hasPrefix("credential:") {
            let rest = String(text.dropFirst("credential:".count))
            guard !rest.isEmpty else { return nil }
            if rest.contains("/") {
                guard let address = CredentialAddress(rest) else { return nil }
                self = .unminted(address)
            } else {
                self = .credential(clientId: rest)
            }
        } else {
            return nil
        }
    }

    /// The same id with each part (user id, client ID, owner, name) passed through
    /// `transform`: escaping for display.
    public func mapParts(_ transform: (String) -> String) -> ChangeID {
        switch self {
        case .user(let id): .user(transform(id))
        case .credential(let clientId): .credential(clientId: transform(clientId))
        case .unminted(let address):
            .unminted(CredentialAddress(owner: address.owner.map(transform), name: transform(address.name)))
        }
    }

    /// In the order of their spellings, as plans have always listed them.
    /// (Without building the spellings: `credential:` sorts before `user:`, and after
    /// the shared prefix the parts decide.)
    public static func < (lhs: ChangeID, rhs: ChangeID) -> Bool {
        switch (lhs, rhs) {
        case (.user(let left), .user(let right)): left < right
        case (.user, _): false
        case (_, .user): true
        case (.credential(let left), .credential(let right)): left < right
        default: lhs.credentialPart < rhs.credentialPart
        }
    }

    /// What follows `credential:`.
    private var credentialPart: String {
        switch self {
        case .user(let id): id
        case .credential(let clientId): clientId
        case .unminted(let address): address.description
        }
    }
}
