import VCCCredentials

/// The connection of a run of the real binary: settings from the process's environment
/// (and the manifests' region), the network through AsyncHTTPClient, the CSPRNG for
/// backoff jitter, the real monotonic clock.
public enum LiveConnection {
    public static func make(
        environment: SystemEnvironment = .live, manifestRegion: Region? = nil, tokenOnly: Bool = false
    ) throws(RemoteError) -> VCCConnection {
        let settings = try ConnectionSettings.read(
            environment: environment, manifestRegion: manifestRegion, tokenOnly: tokenOnly)
        return VCCConnection(
            settings: settings, transport: AsyncHTTPTransport(readTimeout: settings.readTimeout),
            random: environment.random)
    }
}
