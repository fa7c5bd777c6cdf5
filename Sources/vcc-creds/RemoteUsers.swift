import VCCCredentials
import VCCNetwork

/// How a real run talks to VCC's User Admin API: the live connection, with the
/// manifests' region when they declare one.
enum RemoteUsers {
    static func api(region: Region?) throws -> UserAdminAPI {
        UserAdminAPI(connection: try LiveConnection.make(environment: .live, manifestRegion: region))
    }

    /// Every user, for `--refresh`.
    static func read(region: Region?) async throws -> [RemoteUser] {
        try await api(region: region).allUsers()
    }
}
