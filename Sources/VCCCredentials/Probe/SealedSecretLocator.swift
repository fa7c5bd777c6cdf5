import AgeEncryption

/// Finds the current secret of each credential among the sealed files one identity
/// opens: the credential's own file first (`SEALED-DIR/CLIENT-ID.age`), then the bundles
/// (`secrets/ACCOUNT-SERIAL.age`, newest first, and any given). A secret counts only if
/// its SHA-256 is the state's, so an old secret of a rotated credential is never used.
/// Secrets stay in memory, for the probe that asked, and nowhere else.
struct SealedSecretLocator {
    var fileSystem: any FileSystem
    var identities: [X25519Identity]

    /// Most bundle files opened in one search.
    static let maxBundles = 10_000

    /// The secrets found, by client ID, for the credentials asked about. A bundle named
    /// on the command line must be a regular file the key opens.
    func locate(
        _ credentials: [Credential], account: String, sealedDir: String?, bundles extra: [String]
    ) throws -> [String: [UInt8]] {
        for path in extra { try check(path) }
        var wanted: [String: String] = [:]
        for credential in credentials {
            if let digest = credential.secretSha256 { wanted[credential.clientId] = digest }
        }
        var found: [String: [UInt8]] = [:]
        func take(_ path: String) {
            guard var plaintext = open(path) else { return }
            defer { plaintext.withUnsafeMutableBytes { _ = $0.initializeMemory(as: UInt8.self, repeating: 0) } }
            for entry in SealedPayload.entries(plaintext) ?? [] {
                guard let secret = entry.secret, found[entry.clientId] == nil,
                    let digest = wanted[entry.clientId]
                else { continue }
                let bytes = Array(secret.utf8)
                if Digest.sha256Hex(bytes) == digest { found[entry.clientId] = bytes }
            }
        }
        let folder = SealedTarget.folder(sealedDir, account: account)
        for credential in credentials where credential.sealedTo != nil && wanted[credential.clientId] != nil {
            take(PathComponents.join(folder, SealedIndex.fileName(for: credential.clientId)))
        }
        var paths = extra
        if found.count < wanted.count {
            paths += bundles(account: account)
        }
        for path in paths.prefix(Self.maxBundles) where found.count < wanted.count { take(path) }
        return found
    }

    /// `secrets/ACCOUNT-SERIAL.age`, newest serial first.
    private func bundles(account: String) -> [String] {
        let folder = "secrets"
        guard let names = try? fileSystem.directoryEntries(at: folder) else { return [] }
        let prefix = account + "-"
        let serials: [Int] = names.compactMap { name in
            guard name.hasPrefix(prefix), name.hasSuffix(".age") else { return nil }
            let digits = name.dropFirst(prefix.count).dropLast(4)
            guard !digits.isEmpty, digits.count <= 18, digits.allSatisfy(\.isASCII), let serial = Int(digits) else {
                return nil
            }
            return serial
        }
        return serials.sorted(by: >).map { PathComponents.join(folder, "\(account)-\($0).age") }
    }

    /// A file named with `--sealed`: there, regular (no symlink), and opened by the key.
    private func check(_ path: String) throws {
        // A symlink or a folder is refused here; a missing file, by the read.
        try fileSystem.requireRegularFileOrNothing(at: path, singleLink: false)
        let sealed = try fileSystem.readFile(at: path, maxBytes: Unsealer.maxSealedBytes, followingLinks: false)
        do {
            _ = try Age.decrypt(sealed, identities: identities)
        } catch {
            throw KeyError.unreadable(path, error)
        }
    }

    /// A regular file's plaintext, or nil: missing, not ours to open, or not age.
    private func open(_ path: String) -> [UInt8]? {
        guard (try? fileSystem.requireRegularFileOrNothing(at: path, singleLink: false)) != nil,
            let sealed = try? fileSystem.readFile(at: path, maxBytes: Unsealer.maxSealedBytes, followingLinks: false)
        else { return nil }
        return try? Age.decrypt(sealed, identities: identities)
    }
}
