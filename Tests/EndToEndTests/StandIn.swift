import Foundation
import Testing

/// The stand-in VCC (`standin/vcc-standin`), started as its own process on a free
/// loopback port for one test and stopped when the test ends. Tests drive it through
/// its control endpoints, and give the binary the environment that points at it.
final class StandIn {
    let process = Process()
    let port: Int
    /// The tool's client ID and secret, known to the stand-in.
    static let clientId = "vcc-creds-ci"
    static let secret = "Zq8t2XwLr5Ns9Vb4Mk7Hj3Gf6Dc1Sa0Pe2Ru5Ty8"

    /// An API credential VCC holds, as the portal made it.
    struct Client: Codable, Sendable {
        var clientId: String
        var secret: String
        var scopes: [String]
    }

    struct User: Codable, Sendable {
        var userId: String? = nil
        var username: String
        var name: String
        var email: String?
        var role: String
        var active: Bool = true
    }

    /// Starts the stand-in with `users` (and `generate` more, numbered), pages of at most
    /// `maxPageSize`, the tool's client holding `scopes`.
    init(
        in sandbox: Sandbox, users: [User] = [], generate: Int = 0, maxPageSize: Int = 5000,
        scopes: [String] = ["users:read", "users:write"], envelope: String = "items", clients: [Client] = [],
        rateLimit: Int = 0
    ) throws {
        let folder = try Sandbox(inside: sandbox, named: "standin")
        let config: [String: Any] = [
            "clients": [["clientId": Self.clientId, "secret": Self.secret, "scopes": scopes]]
                + clients.map { ["clientId": $0.clientId, "secret": $0.secret, "scopes": $0.scopes] },
            "users": try users.map { try JSONSerialization.jsonObject(with: JSONEncoder().encode($0)) },
            "generateUsers": generate, "maxPageSize": maxPageSize, "envelope": envelope, "rateLimit": rateLimit,
        ]
        let configPath = folder.path("config.json")
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: configPath))
        let portFile = folder.path("port")
        process.executableURL = Repository.root.appendingPathComponent("standin/vcc-standin")
        process.arguments = ["--config", configPath, "--port-file", portFile, "--exit-with-parent"]
        process.standardOutput = FileHandle.nullDevice
        // The stand-in is VCC, whose clock is not ours: under scripts/test-moved-clock it
        // keeps the real time (and Python's sleep fails under libfaketime).
        process.environment = ProcessInfo.processInfo.environment.filter {
            $0.key != "LD_PRELOAD" && !$0.key.hasPrefix("FAKETIME")
        }
        try process.run()
        var waited = 0
        while true {
            if let text = try? String(contentsOfFile: portFile, encoding: .utf8),
                let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
            {
                self.port = port
                break
            }
            guard process.isRunning, waited < 300 else {
                process.terminate()
                throw StandInError.didNotStart
            }
            usleep(20_000)
            waited += 1
        }
        self.folder = folder
    }

    private let folder: Sandbox

    deinit {
        // SIGKILL: a test runner's threads may block SIGTERM, and a child inherits the mask.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    enum StandInError: Error { case didNotStart, badAnswer }

    var base: String { "http://127.0.0.1:\(port)" }

    /// The environment that points vcc-creds at the stand-in, with the secret in a file.
    func environment(in sandbox: Sandbox, secretInFile: Bool = true) throws -> [String: String] {
        var environment = [
            "VCC_CREDS_TOKEN_URL": "\(base)/Auth/connect/token",
            "VCC_CREDS_USERADMIN_URL": "\(base)/useradmin",
            "VCC_CREDS_CLIENT_ID": Self.clientId,
            "VCC_CREDS_RATE_LIMIT": "6000",
            // Under scripts/test-moved-clock, libfaketime (with the semaphore it shares with
            // the test runner) stalls the binary's HTTP threads at exit. Its clock is
            // VCC_CREDS_NOW in every test, so the moved wall clock changes nothing for it.
            "LD_PRELOAD": "",
        ]
        if secretInFile {
            try sandbox.write("client-secret", Self.secret + "\n")
            environment["VCC_CREDS_CLIENT_SECRET_FILE"] = sandbox.path("client-secret")
        } else {
            environment["VCC_CREDS_CLIENT_SECRET"] = Self.secret
        }
        return environment
    }

    /// What the stand-in holds and saw.
    struct Snapshot: Decodable {
        struct Request: Decodable {
            var method: String
            var path: String
            var query: String
            var accept: String?
            var scopes: [String]?
            var bearer: Bool?
            /// The stand-in's monotonic seconds at arrival.
            var at: Double?
            var clientId: String?
        }
        struct Configuration: Decodable { var role: String }
        struct RemoteUser: Decodable {
            var userId: String
            var username: String
            var name: String
            var email: String?
            var active: Bool
            var userAccountConfiguration: Configuration
        }
        var users: [RemoteUser]
        var requests: [Request]
        var tokens: [String]
    }

    func snapshot() async throws -> Snapshot {
        try JSONDecoder().decode(Snapshot.self, from: try await control("GET", "/_standin/state"))
    }

    /// Faults for the next matching requests (see the stand-in's header).
    func inject(_ faults: [[String: Any]]) async throws {
        _ = try await control("POST", "/_standin/faults", JSONSerialization.data(withJSONObject: ["faults": faults]))
    }

    /// A change someone made in the portal.
    func portal(_ user: User) async throws {
        _ = try await control("POST", "/_standin/users", JSONEncoder().encode(user))
    }

    /// What someone did to a credential in the portal: deleted it, or gave it these
    /// scopes (its tokens stop working either way).
    func portal(client clientId: String, scopes: [String]? = nil, delete: Bool = false) async throws {
        var fields: [String: Any] = ["clientId": clientId]
        if let scopes { fields["scopes"] = scopes }
        if delete { fields["delete"] = true }
        _ = try await control("POST", "/_standin/clients", JSONSerialization.data(withJSONObject: fields))
    }

    func clearRequests() async throws { _ = try await control("POST", "/_standin/clear") }

    /// One control request over a plain socket, `Connection: close`, read to the end:
    /// FoundationNetworking's URLSession on Linux stalls on loopback under the test runner.
    private func control(_ method: String, _ path: String, _ body: Data? = nil) async throws -> Data {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw StandInError.badAnswer }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw StandInError.badAnswer }
        let payload = body ?? Data()
        var request = Data(
            "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: \(payload.count)\r\n\r\n"
                .utf8)
        request.append(payload)
        try request.withUnsafeBytes { bytes in
            var sent = 0
            while sent < bytes.count {
                let n = send(descriptor, bytes.baseAddress! + sent, bytes.count - sent, 0)
                guard n > 0 else { throw StandInError.badAnswer }
                sent += n
            }
        }
        var answer = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = recv(descriptor, &buffer, buffer.count, 0)
            guard n > 0 else { break }
            answer.append(buffer, count: n)
        }
        guard let split = answer.range(of: Data("\r\n\r\n".utf8)),
            String(decoding: answer[..<split.lowerBound], as: UTF8.self).hasPrefix("HTTP/1.1 200")
        else { throw StandInError.badAnswer }
        return answer[split.upperBound...]
    }
}
