import Crypto
import Foundation

/// SHA-256 through swift-crypto, as lowercase hex.
public enum Digest {
    public static func sha256Hex<D: DataProtocol>(_ data: D) -> String {
        Hex.lowercase(SHA256.hash(data: data))
    }
}
