/// One HTTP request to VCC, as the connection builds it and a transport sends it. Its
/// `description` names the method and URL only: headers carry the bearer token and the
/// body may carry the tool's secret, so neither is ever part of a message.
public struct HTTPRequest: Sendable, CustomStringConvertible {
    public enum Method: String, Sendable {
        case get = "GET"
        case post = "POST"
        case patch = "PATCH"
        case delete = "DELETE"

        /// Whether sending it twice does what sending it once does, so a dropped
        /// connection or a 5xx can be retried without asking VCC what happened.
        public var isIdempotent: Bool { self != .post && self != .patch }
    }

    public var method: Method
    public var url: RemoteURL
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]?

    public init(method: Method, url: RemoteURL, headers: [(name: String, value: String)] = [], body: [UInt8]? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    public var description: String { "\(method.rawValue) \(url)" }
}

/// What VCC answered: status, headers and the body, already bounded in size by the
/// transport.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first value of a header, by case-insensitive name.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// Why a request got no answer. The transport says which; the connection decides what
/// may be retried.
public enum TransportFailure: Error, Sendable, Equatable {
    /// Refused, reset or closed before a whole answer came: the request may or may not
    /// have been carried out.
    case connection(String)
    /// No answer within the timeout.
    case timedOut
    /// The answer was longer than the cap.
    case tooLarge(limit: Int)
    /// TLS failed (an unverifiable certificate, say): never retried.
    case tls(String)
}

/// The network, as the library sees it: one request, one answer. The live one is
/// AsyncHTTPClient's (`VCCNetwork`); tests put faults in front of it.
public protocol HTTPTransport: Sendable {
    /// Sends `request`; an answer of more than `maxBytes` is `TransportFailure.tooLarge`.
    func send(_ request: HTTPRequest, maxBytes: Int) async throws(TransportFailure) -> HTTPResponse
}

/// No network: what a run that never talks to VCC is given, so that a code path that
/// would is an error rather than a connection.
public struct NoNetwork: HTTPTransport {
    public init() {}

    public func send(_ request: HTTPRequest, maxBytes: Int) async throws(TransportFailure) -> HTTPResponse {
        throw .connection("this run has no network")
    }
}
