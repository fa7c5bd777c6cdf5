/// The VCC region an account lives in: it names the hosts of every VCC API.
public enum Region: String, CaseIterable, Sendable, Hashable {
    case emea, nam, apac

    /// The Authentication API's token endpoint.
    public var tokenURL: RemoteURL {
        RemoteURL(scheme: "https", host: "\(rawValue).cc.vonage.com", port: nil, path: "/Auth/connect/token", query: [])
    }

    /// The User Admin API's base.
    public var userAdminURL: RemoteURL {
        RemoteURL(scheme: "https", host: "\(rawValue).api.newvoicemedia.com", port: nil, path: "/useradmin", query: [])
    }

    /// "emea, nam or apac": for messages.
    public static let spelled = "emea, nam or apac"
}
