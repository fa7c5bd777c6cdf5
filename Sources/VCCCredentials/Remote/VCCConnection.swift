import StrictJSON

/// The one connection a run has to VCC: tokens from the Authentication API, one per
/// scope, reused until they expire; every request paced by the client-side rate limit
/// and retried with backoff on 429, on 5xx and on a dropped connection where repeating
/// it is safe. The tool's secret goes into the token request's body and nowhere else;
/// tokens go into `Authorization` headers and nowhere else.
public actor VCCConnection {
    public let settings: ConnectionSettings
    private let transport: any HTTPTransport
    private let pacer: any Pacer
    private let random: any RandomSource
    private let retry: RetryPolicy
    private let limiter: RateLimiter
    private var tokens: [String: (value: String, expires: Double)] = [:]
    /// Requests sent (each attempt counts), and seconds spent waiting for the rate limit
    /// or a retry: what a report says the run cost.
    public private(set) var requestsSent = 0
    public private(set) var secondsWaited = 0.0

    /// Largest answer read (a page of 5,000 users is a few MiB).
    public static let maxResponseBytes = 64 * 1024 * 1024
    /// Largest token answer read.
    static let maxTokenResponseBytes = 64 * 1024
    /// The User Admin API's media type: version 4, asked for on every request.
    public static let userAdminMediaType = "application/vnd.newvoicemedia.v4+json"

    public init(
        settings: ConnectionSettings, transport: any HTTPTransport, pacer: any Pacer = SystemPacer(),
        random: any RandomSource, retry: RetryPolicy = .standard
    ) {
        self.settings = settings
        self.transport = transport
        self.pacer = pacer
        self.random = random
        self.retry = retry
        limiter = RateLimiter(perMinute: settings.rateLimit, pacer: pacer)
    }

    /// A bearer token for `scope`, from the cache while it has a minute or more to live.
    func token(scope: String) async throws(RemoteError) -> String {
        if let cached = tokens[scope], cached.expires > pacer.now() { return cached.value }
        guard let credential = settings.credential else {
            throw .credential(
                "no API credential for vcc-creds: set \(ConnectionSettings.Variable.clientId) and its secret")
        }
        let request = Self.tokenRequest(
            settings.tokenURL, clientId: credential.clientId, secret: credential.secret, scope: scope)
        // Asking for a token changes nothing: safe to repeat after a dropped connection.
        let response = try await exchange(request, maxBytes: Self.maxTokenResponseBytes, repeatable: true)
        let issued = try TokenAnswer.read(response, request: request, scope: scope)
        let lifetime = Double(issued.expiresIn)
        tokens[scope] = (issued.accessToken, pacer.now() + lifetime - min(60, lifetime / 10))
        return issued.accessToken
    }

    /// What the token endpoint says of another credential, whose secret the caller holds,
    /// and one scope: a token is asked for and dropped unread. Never cached, never
    /// logged; the request's body (the only place the secret goes) is not kept.
    public func verdict(clientId: String, secret: [UInt8], scope: String) async throws(RemoteError) -> TokenVerdict {
        let request = Self.tokenRequest(settings.tokenURL, clientId: clientId, secret: secret, scope: scope)
        let response = try await exchange(request, maxBytes: Self.maxTokenResponseBytes, repeatable: true)
        do {
            _ = try TokenAnswer.read(response, request: request, scope: scope)
            return .granted
        } catch .tokenRefused(_, let error, _) where error == "invalid_client" {
            return .invalidClient
        } catch .tokenRefused(_, let error, _) where error == "invalid_scope" {
            return .invalidScope
        } catch .tokenRefused(let scope, let error, let description) {
            // Any other refusal says nothing about this credential: the run stops.
            throw .status(
                request: request.description, status: response.status,
                detail: "\(Printable.escaped(String(error.prefix(80))))"
                    + (description.map { ": \(Printable.escaped(String($0.prefix(200))))" } ?? "")
                    + " (asking for '\(scope)')")
        }
    }

    private static func tokenRequest(_ url: RemoteURL, clientId: String, secret: [UInt8], scope: String) -> HTTPRequest
    {
        var form = FormBody()
        form.add("grant_type", "client_credentials")
        form.add("client_id", clientId)
        form.add("client_secret", secret)
        form.add("scope", scope)
        return HTTPRequest(
            method: .post, url: url,
            headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json")],
            body: form.bytes)
    }

    /// Sends a User Admin request with a token for `scope`. A 401 drops the token and
    /// tries once more with a new one (VCC may end a token before `expires_in`).
    func userAdmin(
        _ method: HTTPRequest.Method, _ url: RemoteURL, scope: String, body: [UInt8]? = nil
    ) async throws(RemoteError) -> HTTPResponse {
        var renewed = false
        while true {
            let token = try await token(scope: scope)
            var headers: [(name: String, value: String)] = [
                ("Accept", Self.userAdminMediaType), ("Authorization", "Bearer \(token)"),
            ]
            if body != nil { headers.append(("Content-Type", "application/json")) }
            let request = HTTPRequest(method: method, url: url, headers: headers, body: body)
            let response = try await exchange(
                request, maxBytes: Self.maxResponseBytes, repeatable: method.isIdempotent)
            if response.status == 401 && !renewed {
                tokens[scope] = nil
                renewed = true
                continue
            }
            return response
        }
    }

    /// One request, retried as ``RetryPolicy`` says. `repeatable`: whether a dropped
    /// connection or a 5xx may be retried (it may have been carried out); a 429 always
    /// may, since VCC refused it before doing anything.
    private func exchange(
        _ request: HTTPRequest, maxBytes: Int, repeatable: Bool
    ) async throws(RemoteError) -> HTTPResponse {
        var attempt = 0
        while true {
            attempt += 1
            secondsWaited += await limiter.acquire()
            requestsSent += 1
            var reason: String
            var retryAfter: Int?
            do {
                let response = try await transport.send(request, maxBytes: maxBytes)
                switch response.status {
                case 429:
                    reason = "VCC answered 429 Too Many Requests"
                    retryAfter = RetryPolicy.retryAfter(response.header("Retry-After"))
                case 500...599 where repeatable:
                    reason = "VCC answered \(response.status)"
                    retryAfter = RetryPolicy.retryAfter(response.header("Retry-After"))
                case 300...399:
                    throw RemoteError.status(
                        request: request.description, status: response.status,
                        detail: "a redirect"
                            + (response.header("Location").map { " to \(String($0.prefix(200)))" } ?? "")
                            + ", not followed")
                default:
                    return response
                }
            } catch let error as RemoteError {
                throw error
            } catch let failure as TransportFailure {
                switch failure {
                case .tooLarge(let limit):
                    throw .malformed(request: request.description, problem: "is larger than \(limit) bytes")
                case .tls(let why):
                    throw .unanswered(request: request.description, reason: "TLS failed: \(why)", attempts: attempt)
                case .connection(let why):
                    reason = "the connection failed: \(why)"
                case .timedOut:
                    reason = "no answer in time"
                }
                if !repeatable {
                    throw .unanswered(
                        request: request.description,
                        reason: "\(reason); it may or may not have been carried out", attempts: attempt)
                }
            } catch {
                throw .unanswered(request: request.description, reason: "\(error)", attempts: attempt)
            }
            if attempt >= retry.maxAttempts {
                throw .unanswered(request: request.description, reason: reason, attempts: attempt)
            }
            if let retryAfter, retryAfter > retry.maxRetryAfter {
                throw .retryAfterTooLong(request: request.description, seconds: retryAfter)
            }
            let pause = retryAfter.map(Double.init) ?? retry.backoff(retry: attempt, random: random)
            secondsWaited += pause
            await pacer.sleep(seconds: pause)
        }
    }
}

/// `application/x-www-form-urlencoded`, built from bytes so the secret never becomes a
/// `String` that could be logged.
struct FormBody {
    private(set) var bytes: [UInt8] = []

    mutating func add(_ name: String, _ value: String) { add(name, Array(value.utf8)) }

    mutating func add(_ name: String, _ value: [UInt8]) {
        if !bytes.isEmpty { bytes.append(UInt8(ascii: "&")) }
        append(Array(name.utf8))
        bytes.append(UInt8(ascii: "="))
        append(value)
    }

    private mutating func append(_ value: [UInt8]) {
        let hex = Array("0123456789ABCDEF".utf8)
        for byte in value {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                bytes.append(byte)
            default:
                bytes += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 15)]]
            }
        }
    }
}
