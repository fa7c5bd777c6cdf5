import AgeEncryption
import Foundation

/// Everyone the sealed file is for: the manifests' `settings.recipients`, `--recipient`
/// flags and a `--recipients-file` (one per line, `#` comments, as `age -R` reads).
struct RecipientResolver {
    var fileSystem: any FileSystem

    func resolve(manifests: [String], flags: [String], file: String?, location: SourceLocation) throws
        -> [X25519Recipient]
    {
        var result: [X25519Recipient] = []
        var seen = Set<String>()
        /// `at` is nil for a flag.
        func add(_ text: String, at source: SourceLocation?) throws {
            guard let recipient = try? X25519Recipient(text) else {
                throw ApplyError.invalidRecipient(text, at: source)
            }
            if seen.insert(recipient.description).inserted { result.append(recipient) }
        }
        // The manifests' were checked when they were loaded; checked again all the same.
        for text in manifests { try add(text, at: location) }
        for text in flags { try add(text, at: nil) }
        if let file {
            let bytes: [UInt8]
            do {
                bytes = try fileSystem.readFile(at: file, maxBytes: 1024 * 1024)
            } catch {
                throw ApplyError.fileSystem(error)
            }
            // Split on "\r\n" too: Swift treats it as one Character, not as "\r" + "\n".
            let lines = String(decoding: bytes, as: UTF8.self).split(omittingEmptySubsequences: false) {
                $0 == "\n" || $0 == "\r\n"
            }
            for (number, line) in lines.enumerated() {
                let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
                if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
                let indent = line.prefix { $0.isWhitespace }.count
                try add(trimmed, at: SourceLocation(file: file, line: number + 1, column: indent + 1))
            }
        }
        return result
    }
}
