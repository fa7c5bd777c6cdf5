import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import NIOSSL
import VCCCredentials

/// The live network: AsyncHTTPClient over SwiftNIO and BoringSSL, so a statically linked
/// binary needs no libcurl. TLS is verified against the system's roots (NIOSSL's
/// default); redirects are never followed (the connection reports a 3xx as an error);
/// every request has a connect and a read timeout and an overall deadline; an answer is
/// read up to the cap the caller gives.
public struct AsyncHTTPTransport: HTTPTransport {
    /// One client for the process, created when first used: a run that never talks to
    /// VCC never starts an event loop.
    private static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: .seconds(10), read: .seconds(Int64(readTimeout))),
            decompression: .disabled)
        configuration.httpVersion = .http1Only
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    /// Seconds without a byte before a request is given up (`VCC_CREDS_HTTP_TIMEOUT`).
    nonisolated(unsafe) private static var readTimeout = 30

    /// `readTimeout`: seconds of silence before a request is given up; set before the
    /// first request of the process.
    public init(readTimeout: Int? = nil) {
        if let readTimeout { Self.readTimeout = max(1, readTimeout) }
    }

    public func send(_ request: VCCCredentials.HTTPRequest, maxBytes: Int) async throws(TransportFailure)
        -> VCCCredentials.HTTPResponse
    {
        var outgoing = HTTPClientRequest(url: request.url.description)
        outgoing.method = HTTPMethod(rawValue: request.method.rawValue)
        outgoing.headers.add(name: "User-Agent", value: "vcc-creds/\(VCCCredentials.version)")
        for header in request.headers { outgoing.headers.add(name: header.name, value: header.value) }
        if let body = request.body { outgoing.body = .bytes(ByteBuffer(bytes: body)) }
        do {
            let response = try await Self.client.execute(outgoing, timeout: .seconds(Int64(Self.readTimeout) * 4))
            let headers = response.headers.map { (name: $0.name, value: $0.value) }
            let body: ByteBuffer
            do {
                body = try await response.body.collect(upTo: maxBytes)
            } catch is NIOTooManyBytesError {
                throw TransportFailure.tooLarge(limit: maxBytes)
            }
            return VCCCredentials.HTTPResponse(
                status: Int(response.status.code), headers: headers, body: Array(buffer: body))
        } catch let failure as TransportFailure {
            throw failure
        } catch let error as HTTPClientError {
            switch error {
            case .readTimeout, .connectTimeout, .deadlineExceeded, .tlsHandshakeTimeout, .writeTimeout:
                throw .timedOut
            default:
                throw .connection(String(describing: error))
            }
        } catch let error as NIOSSLError {
            throw .tls(String(describing: error))
        } catch let error as BoringSSLError {
            throw .tls(String(describing: error))
        } catch {
            throw .connection(Self.describe(error))
        }
    }

    /// A one-line reason for a socket-level failure.
    private static func describe(_ error: any Error) -> String {
        let text = String(describing: error)
        return text.split(whereSeparator: \.isNewline).first.map(String.init) ?? text
    }
}
