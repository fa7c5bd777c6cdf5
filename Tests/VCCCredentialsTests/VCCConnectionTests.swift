import Foundation
import Synchronization
import Testing
import VCCCredentials

/// The connection's retry, backoff, `Retry-After` and token rules, in virtual time
/// against a scripted transport: what the stand-in tests cannot time or count exactly.
@Suite struct VCCConnectionTests {
    /// Answers in order; every request kept.
    final class ScriptedTransport: HTTPTransport {
        enum Answer: Sendable {
            case response(HTTPResponse)
            case failure(TransportFailure)
        }
        private let script: Mutex<(answers: [Answer], seen: [HTTPRequest])>

        init(_ answers: [Answer]) { script = Mutex((answers, [])) }

        var seen: [HTTPRequest] { script.withLock { $0.seen } }

        func send(_ request: HTTPRequest, maxBytes: Int) async throws(TransportFailure) -> HTTPResponse {
            let answer = script.withLock { state -> Answer? in
                state.seen.append(request)
                return state.answers.isEmpty ? nil : state.answers.removeFirst()
            }
            switch answer {
            case .response(let response): return response
            case .failure(let failure): throw failure
            case nil: throw TransportFailure.connection("script exhausted")
            }
        }
    }

    /// Virtual time: sleeping moves the clock and adds to the total slept.
    final class VirtualPacer: Pacer {
        private let clock = Mutex((now: 1000.0, slept: [Double]()))
        var slept: [Double] { clock.withLock { $0.slept } }
        func now() -> Double { clock.withLock { $0.now } }
        func sleep(seconds: Double) async {
            clock.withLock {
                $0.now += seconds
                $0.slept.append(seconds)
            }
        }
    }

    static let token = HTTPResponse(
        status: 200, body: Array(#"{"access_token":"t0k3n","expires_in":7200,"token_type":"bearer"}"#.utf8))
    static let page = HTTPResponse(
        status: 200,
        body: Array(
            #"{"meta":{"page":1,"count":1,"pageCount":1,"totalCount":1},"items":[{"userId":"0a0a0a0a-0000-4000-8000-000000000001","username":"ada@acme.example","name":"Ada","active":true,"userAccountConfiguration":{"role":"Admin"}}]}"#
                .utf8))
    static func status(_ code: Int, retryAfter: String? = nil) -> ScriptedTransport.Answer {
        .response(HTTPResponse(status: code, headers: retryAfter.map { [("Retry-After", $0)] } ?? []))
    }

    static func api(_ transport: ScriptedTransport, _ pacer: VirtualPacer) throws -> UserAdminAPI {
        let settings = ConnectionSettings(
            tokenURL: try RemoteURL.parse("https://emea.cc.vonage.com/Auth/connect/token").get(),
            userAdminURL: try RemoteURL.parse("https://emea.api.newvoicemedia.com/useradmin").get(),
            credential: ClientCredential(clientId: "tool", secret: Array("s3cret-s3cret".utf8)), rateLimit: 6000)
        return UserAdminAPI(
            connection: VCCConnection(
                settings: settings, transport: transport, pacer: pacer, random: SeededRandom(seed: 7)))
    }

    @Test func retryAfterIsHonouredAndTheTokenIsReused() async throws {
        let transport = ScriptedTransport([
            .response(Self.token), Self.status(429, retryAfter: "7"), .response(Self.page), .response(Self.page),
        ])
        let pacer = VirtualPacer()
        let api = try Self.api(transport, pacer)
        #expect(try await api.allUsers().map(\.username) == ["ada@acme.example"])
        #expect(try await api.allUsers().count == 1)
        #expect(pacer.slept.reduce(0, +) >= 7)
        #expect(pacer.slept.reduce(0, +) < 8)
        // One token for the scope, reused by the second run of pages.
        #expect(transport.seen.filter { $0.url.description.hasSuffix("/token") }.count == 1)
        for request in transport.seen where request.url.description.contains("/useradmin") {
            #expect(request.headers.contains { $0.name == "Accept" && $0.value == VCCConnection.userAdminMediaType })
            #expect(request.headers.contains { $0.name == "Authorization" && $0.value == "Bearer t0k3n" })
        }
    }

    @Test func anExpiredTokenIsRenewedOnceOn401() async throws {
        let transport = ScriptedTransport([
            .response(Self.token), Self.status(401), .response(Self.token), .response(Self.page),
        ])
        let api = try Self.api(transport, VirtualPacer())
        #expect(try await api.allUsers().count == 1)
        #expect(transport.seen.filter { $0.url.description.hasSuffix("/token") }.count == 2)
    }

    @Test func aStormGivesUpAfterSixAttemptsWithBoundedBackoff() async throws {
        let transport = ScriptedTransport(
            [.response(Self.token)] + Array(repeating: Self.status(429), count: 6) + [.response(Self.page)])
        let pacer = VirtualPacer()
        let api = try Self.api(transport, pacer)
        await #expect(throws: RemoteError.self) { try await api.allUsers() }
        #expect(transport.seen.count == 7)
        // Full jitter under 0.5 s doubling: at most 0.5 + 1 + 2 + 4 + 8 between six attempts.
        #expect(pacer.slept.reduce(0, +) <= 15.5)
    }

    @Test func aRetryAfterBeyondTwoMinutesStopsAtOnce() async throws {
        let transport = ScriptedTransport([.response(Self.token), Self.status(429, retryAfter: "3600")])
        let pacer = VirtualPacer()
        let api = try Self.api(transport, pacer)
        await #expect(throws: RemoteError.self) { try await api.allUsers() }
        #expect(transport.seen.count == 2)
        #expect(pacer.slept.allSatisfy { $0 < 1 })
    }

    @Test func droppedConnectionsAndServerErrorsAreRetried() async throws {
        let transport = ScriptedTransport([
            .response(Self.token), .failure(.connection("reset")), Self.status(503), .response(Self.page),
        ])
        let api = try Self.api(transport, VirtualPacer())
        #expect(try await api.allUsers().count == 1)
        #expect(transport.seen.count == 4)
    }

    @Test func theSecretIsInNoRequestDescriptionOrError() async throws {
        let transport = ScriptedTransport([
            .response(HTTPResponse(status: 400, body: Array(#"{"error":"invalid_client"}"#.utf8)))
        ])
        let api = try Self.api(transport, VirtualPacer())
        do {
            _ = try await api.allUsers()
            Issue.record("a refused credential was accepted")
        } catch {
            let text = error.diagnostics.map(\.message).joined()
            #expect(text.contains("invalid_client") || text.contains("refused"), "\(text)")
            #expect(!text.contains("s3cret"))
        }
        #expect(transport.seen.allSatisfy { !$0.description.contains("s3cret") })
    }
}
