/// The manifests' answer to "who may open this credential's secret": its own
/// recipients (the credential's, else its owner's, see ``CredentialRecipients``) and the
/// escrow (`settings.recipients`), which receives every secret. Built once per run; a
/// credential is found by its pinned client ID, else by a pin to a credential it
/// replaced (its lineage: a rotation's successor is sealed as its entry declares, though
/// the pin names its predecessor), else by (level, owner, name), as plans match them.
/// Sealing at apply and record, rekey and readers all ask here, so they cannot disagree.
public struct RecipientDirectory: Sendable {
    /// `settings.recipients`.
    public let escrow: [String]
    private let users: [String: [String]]
    private let byClientId: [String: CredentialRecipients]
    private let byKey: [CredentialKey: CredentialRecipients]

    public init(_ desired: Desired) {
        escrow = desired.settings.recipients
        var users: [String: [String]] = [:]
        for user in desired.users where !user.recipients.isEmpty { users[user.id] = user.recipients }
        var byClientId: [String: CredentialRecipients] = [:]
        var byKey: [CredentialKey: CredentialRecipients] = [:]
        for credential in desired.credentials where credential.recipients != .owner {
            if let clientId = credential.clientId {
                byClientId[clientId] = credential.recipients
            } else {
                byKey[credential.spec.key] = credential.recipients
            }
        }
        self.users = users
        self.byClientId = byClientId
        self.byKey = byKey
    }

    /// What the manifests declare for a credential: its own pin, else the nearest pin
    /// among the client IDs it replaced (`lineage`, oldest first, as the state records
    /// `predecessors`), else its key.
    private func rule(clientId: String?, lineage: [String], spec: CredentialSpec) -> CredentialRecipients {
        if let clientId, let pinned = byClientId[clientId] { return pinned }
        for ancestor in lineage.reversed() {
            if let pinned = byClientId[ancestor] { return pinned }
        }
        return byKey[spec.key] ?? .owner
    }

    /// The recipients of the credential's own sealed file besides the escrow; empty: it
    /// has none (its secret is in the escrow bundle only).
    public func own(_ credential: Credential) -> [DeclaredRecipient] {
        own(clientId: credential.clientId, lineage: credential.predecessors, spec: credential.spec)
    }

    /// Everyone the credential's own sealed file is for: its own recipients, then the
    /// escrow's not already among them.
    public func file(_ credential: Credential) -> [DeclaredRecipient] {
        file(clientId: credential.clientId, lineage: credential.predecessors, spec: credential.spec)
    }

    /// ``own(_:)`` of a credential not in a state yet: a create, which replaces the
    /// credentials of `lineage` when it is a rotation's successor.
    public func own(clientId: String?, lineage: [String], spec: CredentialSpec) -> [DeclaredRecipient] {
        let ownerKeys = spec.owner.flatMap { users[$0] } ?? []
        let owner = spec.owner.map { RecipientRole.owner($0) }
        let rule = rule(clientId: clientId, lineage: lineage, spec: spec)
        var result: [DeclaredRecipient] = []
        var seen = Set<String>()
        func add(_ keys: [String], _ role: RecipientRole) {
            for key in keys where seen.insert(key).inserted { result.append(DeclaredRecipient(key, role: role)) }
        }
        switch rule {
        case .owner: if let owner { add(ownerKeys, owner) }
        case .only(let keys): add(keys, .credential)
        case .ownerAnd(let keys):
            add(keys, .credential)
            if let owner { add(ownerKeys, owner) }
        }
        return result
    }

    /// ``file(_:)`` of a credential not in a state yet.
    public func file(clientId: String?, lineage: [String], spec: CredentialSpec) -> [DeclaredRecipient] {
        var result = own(clientId: clientId, lineage: lineage, spec: spec)
        let seen = Set(result.map(\.recipient))
        for key in escrow where !seen.contains(key) { result.append(DeclaredRecipient(key, role: .escrow)) }
        return result
    }
}

/// One recipient of a credential's secret, and where the manifests declare it.
public struct DeclaredRecipient: Sendable, Hashable {
    /// The `age1...` form.
    public var recipient: String
    public var fingerprint: String
    public var role: RecipientRole

    init(_ recipient: String, role: RecipientRole) {
        self.recipient = recipient
        fingerprint = RecipientFingerprint.of(recipient)
        self.role = role
    }
}

/// Why a recipient receives a secret: what an access review reads beside a fingerprint.
public enum RecipientRole: Sendable, Hashable, CustomStringConvertible {
    /// `users[].recipients` of the credential's owner.
    case owner(String)
    /// The credential's own `recipients` or `additionalRecipients`.
    case credential
    /// `settings.recipients`.
    case escrow

    public var description: String {
        switch self {
        case .owner(let id): "owner \(id)"
        case .credential: "credential"
        case .escrow: "escrow"
        }
    }
}
