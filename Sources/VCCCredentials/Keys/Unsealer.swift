import AgeEncryption

/// `unseal`: opens a sealed file (ours or any the `age` CLI wrote) with the identities
/// of an `age-keygen` file. All or nothing: on any error, no plaintext is returned.
public struct Unsealer: Sendable {
    public var fileSystem: any FileSystem

    public init(fileSystem: any FileSystem = LocalFileSystem()) {
        self.fileSystem = fileSystem
    }

    /// Largest sealed file read, from a file or stdin: the secrets of a quarter of a
    /// million credentials, and well under what decrypting it in memory can hold.
    public static let maxSealedBytes = 256 * 1024 * 1024

    /// `sealed` names the file in messages; `bytes` are its content.
    public func unseal(identityFile: String, sealed: String, bytes: [UInt8]) throws -> [UInt8] {
        let identities = try self.identities(from: identityFile)
        do {
            return try Age.decrypt(bytes, identities: identities)
        } catch {
            throw KeyError.unreadable(sealed, error)
        }
    }

    /// The identities of an `age-keygen` file.
    func identities(from identityFile: String) throws -> [X25519Identity] {
        let keyText = try fileSystem.readFile(at: identityFile, maxBytes: 1024 * 1024)
        do {
            return try IdentityFile.parse(String(decoding: keyText, as: UTF8.self))
        } catch {
            throw KeyError.unreadable(identityFile, error)
        }
    }
}
