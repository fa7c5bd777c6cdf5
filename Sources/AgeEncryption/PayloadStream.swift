import Crypto
import Foundation

/// age's STREAM construction: the payload in 64 KiB chunks, each sealed with
/// ChaCha20-Poly1305 under a key derived from the file key and a random nonce, with a
/// big-endian chunk counter and a final-chunk flag in the AEAD nonce.
enum PayloadStream {
    static let chunkSize = 64 * 1024
    static let tagSize = 16
    static let nonceSize = 16

    static func key(fileKey: [UInt8], nonce: some DataProtocol) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: fileKey), salt: nonce, info: Array("payload".utf8),
            outputByteCount: 32)
    }

    static func chunkNonce(_ counter: UInt64, last: Bool) -> ChaChaPoly.Nonce {
        var bytes = [UInt8](repeating: 0, count: 12)
        for index in 0..<8 { bytes[3 + index] = UInt8(truncatingIfNeeded: counter >> UInt64(8 * (7 - index))) }
        bytes[11] = last ? 1 : 0
        return try! ChaChaPoly.Nonce(data: bytes)
    }

    /// Nonce followed by the sealed chunks. An empty plaintext is one empty final chunk.
    static func seal(_ plaintext: [UInt8], fileKey: [UInt8], nonce: [UInt8]) -> [UInt8] {
        let key = key(fileKey: fileKey, nonce: nonce)
        var output = nonce
        output.reserveCapacity(nonce.count + plaintext.count + (plaintext.count / chunkSize + 1) * tagSize)
        var start = 0
        var counter: UInt64 = 0
        repeat {
            let end = min(start + chunkSize, plaintext.count)
            let last = end == plaintext.count
            let box = try! ChaChaPoly.seal(plaintext[start..<end], using: key, nonce: chunkNonce(counter, last: last))
            output.append(contentsOf: box.ciphertext)
            output.append(contentsOf: box.tag)
            start = end
            counter += 1
        } while start < plaintext.count
        return output
    }

    /// Opens the payload starting at `offset`, handing each verified chunk to `release`.
    /// Chunks are read as age's reference implementation reads them, so the plaintext
    /// released before an error is the same: a short chunk is the final one; a full
    /// chunk is final only if it authenticates as final, and then nothing may follow.
    static func open(
        _ bytes: [UInt8], from offset: Int, fileKey: [UInt8], release: (ArraySlice<UInt8>) -> Void
    ) throws(AgeError) {
        // The vectors count a missing nonce as part of the header being incomplete.
        guard bytes.count - offset >= nonceSize else { throw .header("the payload nonce is truncated") }
        let key = key(fileKey: fileKey, nonce: bytes[offset..<(offset + nonceSize)])
        let full = chunkSize + tagSize
        var position = offset + nonceSize
        var counter: UInt64 = 0
        while true {
            let remaining = bytes.count - position
            guard remaining > 0 else { throw .payload("the final chunk is missing") }
            if remaining < full {
                if counter > 0 && remaining == tagSize { throw .payload("the final chunk is empty") }
                guard let plaintext = openChunk(bytes[position...], key: key, counter: counter, last: true) else {
                    throw .payload("chunk \(counter) does not authenticate (altered or truncated)")
                }
                release(plaintext)
                return
            }
            let chunk = bytes[position..<(position + full)]
            if let plaintext = openChunk(chunk, key: key, counter: counter, last: false) {
                release(plaintext)
                position += full
                counter += 1
                continue
            }
            guard let plaintext = openChunk(chunk, key: key, counter: counter, last: true) else {
                throw .payload("chunk \(counter) does not authenticate (altered or truncated)")
            }
            release(plaintext)
            guard position + full == bytes.count else { throw .payload("data after the final chunk") }
            return
        }
    }

    private static func openChunk(_ chunk: ArraySlice<UInt8>, key: SymmetricKey, counter: UInt64, last: Bool)
        -> ArraySlice<UInt8>?
    {
        guard chunk.count >= tagSize,
            let box = try? ChaChaPoly.SealedBox(
                nonce: chunkNonce(counter, last: last), ciphertext: chunk.dropLast(tagSize),
                tag: chunk.suffix(tagSize)),
            let plaintext = try? ChaChaPoly.open(box, using: key)
        else { return nil }
        return ArraySlice(plaintext)
    }
}
