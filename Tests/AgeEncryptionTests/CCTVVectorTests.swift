import AgeEncryption
import Crypto
import Foundation
import Testing

/// The C2SP CCTV age test vectors, kept in `Vectors/cctv-age/` beside this file (see
/// its README for origin and licence): every X25519 vector must give its expected result.
struct Vector: Sendable, CustomTestStringConvertible {
    var name: String
    var expect: String
    var payload: String?
    var identities: [String]
    var armored: Bool
    var compressed: Bool
    var passphrase: Bool
    var file: [UInt8]

    var testDescription: String { name }

    /// Vectors this implementation does not speak: scrypt passphrases and hybrid
    /// (post-quantum) identities.
    var isX25519: Bool { !passphrase && identities.allSatisfy { $0.hasPrefix("AGE-SECRET-KEY-1") } }
}

enum CCTV {
    /// `Vectors/cctv-age` beside this file, or `VCC_CREDS_CCTV_DIR` (another copy of
    /// the upstream `age/testdata` folder).
    static let folder: URL = {
        if let override = ProcessInfo.processInfo.environment["VCC_CREDS_CCTV_DIR"] {
            return URL(fileURLWithPath: override)
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Vectors/cctv-age")
    }()

    /// The vector files' names; empty when the folder is missing or unreadable, which
    /// `theVectorsAreThere` reports as a failure (they are part of the repository).
    static let names: [String] = {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [] }
        return names.filter { $0 != "README.md" && !$0.hasPrefix(".") }.sorted()
    }()

    static let vectors: [Vector] = {
        names.compactMap { name in
            guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path) else {
                return nil
            }
            return parse(name: name, Array(data))
        }
    }()

    static func parse(name: String, _ bytes: [UInt8]) -> Vector {
        var vector = Vector(
            name: name, expect: "", payload: nil, identities: [], armored: false, compressed: false, passphrase: false,
            file: [])
        var position = 0
        while let newline = bytes[position...].firstIndex(of: UInt8(ascii: "\n")) {
            let line = String(decoding: bytes[position..<newline], as: UTF8.self)
            position = newline + 1
            if line.isEmpty { break }
            let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            switch parts[0] {
            case "expect": vector.expect = parts[1]
            case "payload": vector.payload = parts[1]
            case "identity": vector.identities.append(parts[1])
            case "armored": vector.armored = parts[1] == "yes"
            case "compressed": vector.compressed = parts[1] == "zlib"
            case "passphrase": vector.passphrase = true
            default: break
            }
        }
        vector.file = Array(bytes[position...])
        return vector
    }

    /// zlib inflate through Python's standard library, which every machine here has.
    static func inflate(_ bytes: [UInt8]) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", "-c", "import sys, zlib; sys.stdout.buffer.write(zlib.decompress(sys.stdin.buffer.read()))",
        ]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let writer = Thread {
            try? input.fileHandleForWriting.write(contentsOf: Data(bytes))
            try? input.fileHandleForWriting.close()
        }
        writer.start()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CocoaError(.fileReadCorruptFile) }
        return Array(data)
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }
}

/// What happened when opening a vector, in the vectors' own words.
private func outcome(of vector: Vector) throws -> (expect: String, released: [UInt8]) {
    let file = vector.compressed ? try CCTV.inflate(vector.file) : vector.file
    var released: [UInt8] = []
    do {
        let identities = try vector.identities.map { try X25519Identity($0) }
        let binary = vector.armored ? try Armor.decode(file) : file
        try Age.decrypt(binary: binary, identities: identities) { released.append(contentsOf: $0) }
        return ("success", released)
    } catch let error as AgeError {
        switch error {
        case .armor: return ("armor failure", released)
        case .header, .invalidKey: return ("header failure", released)
        case .noMatch: return ("no match", released)
        case .hmac: return ("HMAC failure", released)
        case .payload: return ("payload failure", released)
        }
    }
}

@Suite struct CCTVVectorTests {
    @Test(arguments: CCTV.vectors.filter(\.isX25519))
    func vectorGivesItsExpectedResult(_ vector: Vector) throws {
        let result = try outcome(of: vector)
        #expect(result.expect == vector.expect)
        // `payload` is the hash of what is released before any error: the whole
        // plaintext on success, the authenticated chunks before a payload failure.
        if let payload = vector.payload {
            #expect(CCTV.hex(SHA256.hash(data: result.released)) == payload)
        }
    }

    /// The vectors are in the repository: a missing or short folder is a broken
    /// checkout (or a wrong `VCC_CREDS_CCTV_DIR`), not a reason to skip.
    @Test func theVectorsAreThere() {
        #expect(
            CCTV.names.count >= 140,
            "CCTV vectors missing at \(CCTV.folder.path): \(CCTV.names.count) files (143 expected)")
        #expect(CCTV.vectors.count == CCTV.names.count, "some vector files could not be read")
    }

    @Test func theVectorsCoverEveryOutcome() throws {
        let x25519 = CCTV.vectors.filter(\.isX25519)
        #expect(x25519.count >= 90)
        #expect(
            Set(x25519.map(\.expect)) == [
                "success", "no match", "HMAC failure", "header failure", "payload failure", "armor failure",
            ])
    }
}
