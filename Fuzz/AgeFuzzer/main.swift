// libFuzzer target: opening age files with a fixed X25519 identity (armor detection,
// armor, header and stanzas, header MAC, STREAM payload), the armor decoder on its own,
// and identity-file and recipient parsing of the same bytes. The seed corpus holds
// files sealed to this identity (so mutations reach the payload) and CCTV vector bodies.
// Built and run by scripts/fuzz.

import AgeEncryption
import Foundation

/// Public key: age1xmwwc06ly3ee5rytxm9mflaz2u56jjj36s0mypdrwsvlul66mv4q47ryef
private let identity: X25519Identity = {
    do {
        return try X25519Identity("AGE-SECRET-KEY-1EGTZVFFV20835NWYV6270LXYVK2VKNX2MMDKWYKLMGR48UAWX40Q2P2LM0")
    } catch {
        fatalError("the fuzz identity does not parse: \(error)")
    }
}()

private func check(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition {
        FileHandle.standardError.write(Data("fuzz invariant failed: \(message())\n".utf8))
        abort()
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))

    // Age.decrypt detects armor and opens through the streaming decryptor.
    _ = try? Age.decrypt(bytes, identities: [identity])
    if !Armor.isArmored(bytes) {
        // Armored inputs were just armor-decoded by Age.decrypt; try the rest too.
        _ = try? Armor.decode(bytes)
    }
    check(
        (try? Armor.decode(Armor.encode(bytes))) == bytes, "Armor.decode(Armor.encode(x)) is not x")

    if let text = String(validating: bytes, as: UTF8.self) {
        _ = try? IdentityFile.parse(text)
        _ = try? X25519Recipient(text)
        _ = try? X25519Identity(text)
    }
    return 0
}
