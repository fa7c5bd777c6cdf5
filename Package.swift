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
    ],
    targets: [
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        .target(name: "SourceText"),
        .target(name: "CSystem"),
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
                "CSystem",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .executableTarget(
            name: "vcc-creds",
            dependencies: [
                "VCCCredentials",
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
