// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "vcc-creds",
    products: [
        .executable(name: "vcc-creds", targets: ["vcc-creds"]),
        .library(name: "VCCCredentials", targets: ["VCCCredentials"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "4.5.2"),
        .package(url: "https://github.com/swift-server/async-http-client", exact: "1.37.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        .target(name: "SourceText"),
        .target(name: "CVCCSystem"),
        .target(name: "StrictYAML", dependencies: ["CYAML", "SourceText"]),
        .target(name: "StrictJSON", dependencies: ["SourceText"]),
        .target(
            name: "AgeEncryption",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(
            name: "VCCCredentials",
            dependencies: [
                "SourceText",
                "StrictYAML",
                "StrictJSON",
                "AgeEncryption",
                "CVCCSystem",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The one target that knows AsyncHTTPClient: the live network behind the
        // library's `HTTPTransport` seam (the fuzz builds link the library without it).
        .target(
            name: "VCCNetwork",
            dependencies: [
                "VCCCredentials",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        .executableTarget(
            name: "vcc-creds",
            dependencies: [
                "VCCCredentials",
                "VCCNetwork",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "StrictYAMLTests", dependencies: ["StrictYAML"]),
        .testTarget(name: "StrictJSONTests", dependencies: ["StrictJSON"]),
        .testTarget(name: "AgeEncryptionTests", dependencies: ["AgeEncryption"], exclude: ["Vectors"]),
        .testTarget(name: "VCCCredentialsTests", dependencies: ["VCCCredentials", "AgeEncryption", "StrictJSON"]),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["vcc-creds", "VCCCredentials"],
            exclude: ["Fixtures", "Golden"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
