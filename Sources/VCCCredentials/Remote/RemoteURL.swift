import Foundation

/// An absolute `https` URL (or `http` on loopback only), checked once where it enters:
/// a base URL from the environment or a region. Paths are appended as components, so
/// nothing from VCC or a manifest can change the host a request goes to.
public struct RemoteURL: Sendable, Hashable, CustomStringConvertible {
    public let scheme: String
    public let host: String
    public let port: Int?
    /// Without a trailing `/`; empty for the root.
    public let path: String
    /// Already percent-encoded `name=value` pairs.
    public let query: [String]

    /// Parses `text`; nil with the reason when it is not an absolute http(s) URL, or is
    /// `http` to a host that is not loopback.
    public static func parse(_ text: String) -> Result<RemoteURL, RemoteURLProblem> {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            let host = components.host, !host.isEmpty
        else { return .failure(.notAbsolute) }
        guard scheme == "https" || scheme == "http" else { return .failure(.scheme(scheme)) }
        if components.user != nil || components.password != nil { return .failure(.userInfo) }
        if components.query != nil || components.fragment != nil { return .failure(.query) }
        let lowered = host.lowercased()
        if scheme == "http" && !isLoopback(lowered) { return .failure(.plainHTTP(host: host)) }
        var path = components.percentEncodedPath
        while path.hasSuffix("/") { path.removeLast() }
        return .success(RemoteURL(scheme: scheme, host: lowered, port: components.port, path: path, query: []))
    }

    /// `127.0.0.0/8`, `::1` and `localhost`: where plain `http` cannot leave the machine.
    static func isLoopback(_ host: String) -> Bool {
        if host == "localhost" || host == "::1" || host == "[::1]" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }

    init(scheme: String, host: String, port: Int?, path: String, query: [String]) {
        self.scheme = scheme
        self.host = host
        self.port = port
        self.path = path
        self.query = query
    }

    /// This URL with `component` appended to its path, percent-encoded.
    public func appending(_ component: String) -> RemoteURL {
        let encoded = component.addingPercentEncoding(withAllowedCharacters: Self.pathComponentCharacters) ?? ""
        return RemoteURL(scheme: scheme, host: host, port: port, path: path + "/" + encoded, query: query)
    }

    /// This URL with query parameters added.
    public func adding(query items: [(String, String)]) -> RemoteURL {
        let pairs = items.map { name, value in
            let encoded = value.addingPercentEncoding(withAllowedCharacters: Self.pathComponentCharacters) ?? ""
            return "\(name)=\(encoded)"
        }
        return RemoteURL(scheme: scheme, host: host, port: port, path: path, query: query + pairs)
    }

    /// RFC 3986's unreserved characters, ASCII only.
    private static let pathComponentCharacters: CharacterSet = {
        CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
    }()

    public var description: String {
        let hostPart = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        let portPart = port.map { ":\($0)" } ?? ""
        let queryPart = query.isEmpty ? "" : "?" + query.joined(separator: "&")
        return "\(scheme)://\(hostPart)\(portPart)\(path)\(queryPart)"
    }
}

/// Why a URL from the environment is refused.
public enum RemoteURLProblem: Error, Sendable, Equatable {
    case notAbsolute
    case scheme(String)
    case userInfo
    case query
    case plainHTTP(host: String)

    public var message: String {
        switch self {
        case .notAbsolute: "is not an absolute URL"
        case .scheme(let scheme): "uses '\(scheme)'; only https is allowed"
        case .userInfo: "has a user or password in it; the tool's credential comes from VCC_CREDS_CLIENT_ID"
        case .query: "has a query or fragment; give the base URL only"
        case .plainHTTP(let host): "is plain http to \(host); http is allowed on loopback only, use https"
        }
    }
}
