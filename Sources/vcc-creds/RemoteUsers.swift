import VCCCredentials
import VCCNetwork

/// How `--refresh` reads VCC's users in a real run: the live connection, with the
/// manifests' region when they declare one.
enum RemoteUsers {
    static func read(region: Region?) async throws -> [RemoteUser] {
        try await UserAdminAPI(connection: LiveConnection.make(environment: .live, manifestRegion: region)).allUsers()
    }
}
