import AgeEncryption

/// Declared recipients as age keys, each `age1...` parsed once however many files it
/// receives (an owner's key, the escrow's: thousands of files, one Bech32 decode).
struct RecipientKeys {
    private var parsed: [String: X25519Recipient] = [:]

    /// The keys of `recipients`, in their order. They were checked when the manifests
    /// were loaded; a bad one here is reported all the same.
    mutating func keys(for recipients: [DeclaredRecipient]) throws -> [X25519Recipient] {
        try recipients.map { declared in
            if let known = parsed[declared.recipient] { return known }
            guard let key = try? X25519Recipient(declared.recipient) else {
                throw ApplyError.invalidRecipient(declared.recipient, at: nil)
            }
            parsed[declared.recipient] = key
            return key
        }
    }
}
