import ArgumentParser
import VCCCredentials

struct ActorsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "actors",
        abstract: "Print the users a merge's approvers are (their manifests 'login'), for VCC_CREDS_AS.",
        discussion: """
            Prints the user ids comma-separated on one line, in the order the logins are given; \
            a login no user declares is a warning and approves nothing. A pipeline applies a merge \
            as its own admin plus the approvers, so an owner's credential change is applied only \
            when its owner approved it.

            Example:
              approvers=$(vcc-creds actors --approved-by sam-gh,pete-gh)
              export VCC_CREDS_AS="olga@acme.example,$approvers"
            """
    )

    @Option(help: ArgumentHelp("Folder of manifest files (*.yaml, *.yml), read recursively.", valueName: "folder"))
    var manifests = "manifests"

    @Option(
        help: ArgumentHelp(
            "A forge login that approved the merge; repeatable, or comma-separated.",
            valueName: "login"))
    var approvedBy: [String] = []

    func run() throws {
        let desired = try PlanPipeline().loadManifests(manifests)
        let logins = approvedBy.flatMap { $0.split(separator: ",").map(String.init) }.filter { !$0.isEmpty }
        let (actors, unknown) = ApproverMap(desired).actors(approvedBy: logins)
        for login in unknown {
            Output.print(
                .warning("--approved-by \(login): no user in \(manifests) declares this login; it approves nothing"))
        }
        Output.standardOutput(actors.joined(separator: ",") + "\n")
    }
}
