/// A credential whose own sealed file is readable by other recipients than the
/// manifests now say: what `plan` counts and `rekey` re-encrypts.
public struct RekeyItem: Sendable, Hashable {
    public var credential: Credential
    /// Who the file is readable by now (fingerprints, as the state records them).
    public var recorded: [String]
    /// Who it should be for, as the manifests say; empty: nobody is declared, and the
    /// file cannot be rekeyed (it would be readable by nobody).
    public var wanted: [DeclaredRecipient]

    /// Recipients that lose access: they may still hold old copies of the file (git
    /// history, CI artifacts), so the credential's secret should be rotated.
    public var removed: [String] {
        let kept = Set(wanted.map(\.fingerprint))
        return recorded.filter { !kept.contains($0) }
    }

    /// Recipients that gain access.
    public var added: [DeclaredRecipient] {
        let had = Set(recorded)
        return wanted.filter { !had.contains($0.fingerprint) }
    }

    /// Every credential of `state` with a sealed file of its own whose recipients differ
    /// from the manifests', in client-ID order; `visible` filters (a plan counts only
    /// what its actors can see).
    public static func all(
        in state: State, directory: RecipientDirectory, visible: (Credential) -> Bool = { _ in true }
    ) -> [RekeyItem] {
        var items: [RekeyItem] = []
        for credential in state.credentials {
            guard let recorded = credential.sealedTo, visible(credential) else { continue }
            let wanted = directory.file(credential)
            if wanted.map(\.fingerprint).sorted() != recorded {
                items.append(RekeyItem(credential: credential, recorded: recorded, wanted: wanted))
            }
        }
        return items.sorted { $0.credential.clientId < $1.credential.clientId }
    }
}
