import AgeEncryption
import Foundation

/// Why an apply stopped. Every case but `interrupted` means nothing was changed.
public enum ApplyError: Error, Sendable, CustomStringConvertible {
    /// Another run holds the state lock.
    case locked(statePath: String, holder: String)
    /// New credentials would be created, but nobody could open their secrets.
    case noRecipients(creates: Int)
    case invalidRecipient(String, source: String)
    case sealedFileExists(String)
    case fileSystem(FileSystemError)
    /// A failure after the sealed file was written: rerunning finishes or undoes it.
    case interrupted(FileSystemError, sealedPath: String?, committed: Bool)

    public var description: String {
        switch self {
        case .locked(let statePath, let holder):
            let who = holder.trimmingCharacters(in: .whitespacesAndNewlines)
            return "error: \(statePath) is locked by another run (\(who.isEmpty ? "holder unknown" : who)); retry later or pass --lock-timeout SECONDS"
        case .noRecipients(let creates):
            return "error: the plan creates \(creates) credential\(creates == 1 ? "" : "s") but no age recipient is configured: add settings.recipients to the manifests or pass --recipient age1...; nothing was written"
        case .invalidRecipient(let recipient, let source):
            return "\(source): error: \(X25519Recipient.problem(with: recipient))"
        case .sealedFileExists(let path):
            return "error: \(path) already exists and sealed files are never overwritten; move it away or choose another --sealed-out; nothing was written"
        case .fileSystem(let error):
            return "error: \(error); nothing was changed"
        case .interrupted(let error, let sealedPath, let committed):
            let sealed = sealedPath.map { " Secrets are sealed in \($0)." } ?? ""
            return committed
                ? "error: \(error). The state was committed but the apply did not finish.\(sealed) Rerun apply to complete it."
                : "error: \(error). The state was not changed.\(sealed) Rerun apply to recover."
        }
    }
}

extension ApplyError: VCCError {
    public var exitStatus: ExitStatus {
        if case .locked = self { return .staleOrLocked }
        return .failure
    }
}
