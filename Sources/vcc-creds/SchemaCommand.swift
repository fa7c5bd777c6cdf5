import ArgumentParser
import VCCCredentials

struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the JSON Schema (draft 2020-12) of the manifests, for editors.",
        discussion: """
            yaml-language-server (VS Code's YAML extension and others) completes and checks \
            manifests that start with a modeline pointing at it.

            Example:
              vcc-creds schema > schema/vcc-creds.schema.json
              # first line of a manifest:
              # yaml-language-server: $schema=../schema/vcc-creds.schema.json
            """
    )

    func run() throws {
        Output.standardOutput(bytes: ManifestJSONSchema.render())
    }
}
