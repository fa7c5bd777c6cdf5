import StrictJSON

/// `readers`: for each credential, who can open its current secret: the fingerprints
/// its own sealed file is for (the state's record) and, where the manifests still
/// declare them, as whom (owner, the credential's own recipients, escrow). The access
/// review a security team asks for; fingerprints only, never a key or a secret.
public struct ReadersReport: Sendable {
    public var account: String
    public var serial: Int
    public var entries: [Entry]
    /// False when no manifests were read: fingerprints without roles.
    public var knowsRoles: Bool

    /// How a credential's current secret is held.
    public enum Holding: String, Sendable {
        /// In a sealed file of its own: its readers are recorded.
        case ownFile = "own-file"
        /// Only in an escrow bundle (sealed before it had recipients of its own): its
        /// readers are whoever the bundle was for, not recorded per credential.
        case bundleOnly = "bundle-only"
        /// Never seen by vcc-creds (imported).
        case notHeld = "not-held"
    }

    public struct Entry: Sendable {
        public var credential: Credential
        public var holding: Holding
        /// The recorded fingerprints, each with where the manifests declare it (nil: they
        /// no longer do).
        public var readers: [(fingerprint: String, role: RecipientRole?)]
        /// The manifests say other recipients: `rekey` would change the file.
        public var needsRekey: Bool
        /// In a bundle only, but the manifests now name recipients of its own: there is
        /// no file to rekey, so only a new secret (a rotation) reaches them.
        public var awaitsOwnFile = false
        /// In a rotation's overlap, the credential that replaces this one: a consumer
        /// takes the successor's secret; this one is deleted when the overlap ends.
        public var replacedBy: Credential?
    }

    /// `directory` nil: no manifests read, so no roles.
    public init(state: State, directory: RecipientDirectory?) {
        account = state.account.id
        serial = state.serial
        knowsRoles = directory != nil
        let rekey = directory.map { Set(RekeyItem.all(in: state, directory: $0).map(\.credential.clientId)) } ?? []
        let successors = SealedIndex.successorsInOverlap(state)
        entries = state.sorted().credentials.map { credential in
            var entry: Entry
            if let sealedTo = credential.sealedTo {
                let declared = directory?.file(credential) ?? []
                let roles = Dictionary(
                    declared.map { ($0.fingerprint, $0.role) }, uniquingKeysWith: { first, _ in first })
                entry = Entry(
                    credential: credential, holding: .ownFile, readers: sealedTo.map { ($0, roles[$0]) },
                    needsRekey: rekey.contains(credential.clientId))
            } else {
                entry = Entry(
                    credential: credential, holding: credential.secretSha256 == nil ? .notHeld : .bundleOnly,
                    readers: [],
                    needsRekey: false)
                entry.awaitsOwnFile = directory.map { !$0.own(credential).isEmpty } ?? false
            }
            entry.replacedBy = successors[credential.clientId]
            return entry
        }
    }

    public func text() -> String {
        var text =
            "Who can open the current secret of each credential of account \(Printable.escaped(account)) (state "
            + "serial \(serial)):\n"
        text +=
            "(each secret is also in the escrow bundle of the apply that made it, for settings.recipients and that "
            + "run's --recipient keys, not recorded here)\n\n"
        for entry in entries {
            text += "  \(RekeyReport.address(entry.credential)) (\(entry.credential.clientId))\n"
            if let successor = entry.replacedBy {
                let ends = successor.overlapEndsAt.map { " at \($0)" } ?? ""
                text +=
                    "      replaced by \(successor.clientId), which consumers use; deleted when the overlap "
                    + "ends\(ends)\n"
            }
            switch entry.holding {
            case .ownFile:
                for reader in entry.readers {
                    let role =
                        reader.role.map { Printable.escaped($0.description) }
                        ?? (knowsRoles ? "no longer declared: rekey, and rotate the credential" : "")
                    text += "      \(reader.fingerprint)\(role.isEmpty ? "" : "  " + role)\n"
                }
                if entry.needsRekey { text += "      (the manifests declare other recipients: vcc-creds rekey)\n" }
            case .bundleOnly:
                text +=
                    "      no sealed file of its own: only in the escrow bundle of the apply that made it (if "
                    + "vcc-creds made it)\n"
                if entry.awaitsOwnFile {
                    text +=
                        "      (the manifests now name recipients of its own: only a new secret reaches them; rotate "
                        + "it)\n"
                }
            case .notHeld:
                text += "      secret not held (imported): whoever copied it from the portal\n"
            }
        }
        let own = entries.filter { $0.holding == .ownFile }.count
        let bundle = entries.filter { $0.holding == .bundleOnly }.count
        let notHeld = entries.count - own - bundle
        text += entries.isEmpty ? "  (no credentials)\n" : ""
        text +=
            "\n\(entries.count) credential\(entries.count == 1 ? "" : "s"): \(own) with a sealed file of its own, "
            + "\(bundle) in escrow bundles only, \(notHeld) not held.\n"
        return text
    }

    public func json() -> [UInt8] {
        var out = JSONStreamWriter(style: .pretty, capacity: 256 * (entries.count + 1))
        out.beginObject()
        out.field("account", account)
        out.key("credentials")
        out.beginArray()
        for entry in entries {
            out.element()
            out.beginObject()
            out.field("clientId", entry.credential.clientId)
            out.field("holding", entry.holding.rawValue)
            out.field("level", entry.credential.level.rawValue)
            out.field("name", entry.credential.name)
            if let owner = entry.credential.owner { out.field("owner", owner) }
            out.key("readers")
            out.beginArray()
            for reader in entry.readers {
                out.element()
                Self.write(fingerprint: reader.fingerprint, role: reader.role, to: &out)
            }
            out.endArray()
            out.key("rekey")
            out.bool(entry.needsRekey)
            if let successor = entry.replacedBy {
                out.field("replacedBy", successor.clientId)
                if let ends = successor.overlapEndsAt { out.field("retiresAt", ends.description) }
            }
            if entry.awaitsOwnFile {
                out.key("rotateToReachRecipients")
                out.bool(true)
            }
            out.endObject()
        }
        out.endArray()
        out.field("serial", serial)
        out.endObject()
        return out.finish()
    }

    /// `{fingerprint, role?, user?}` for each recipient.
    static func write(_ recipients: [DeclaredRecipient], to out: inout JSONStreamWriter) {
        out.beginArray()
        for recipient in recipients {
            out.element()
            write(fingerprint: recipient.fingerprint, role: recipient.role, to: &out)
        }
        out.endArray()
    }

    private static func write(fingerprint: String, role: RecipientRole?, to out: inout JSONStreamWriter) {
        out.beginObject()
        out.field("fingerprint", fingerprint)
        switch role {
        case .owner(let id)?:
            out.field("role", "owner")
            out.field("user", id)
        case .credential?: out.field("role", "credential")
        case .escrow?: out.field("role", "escrow")
        case nil: break
        }
        out.endObject()
    }
}
