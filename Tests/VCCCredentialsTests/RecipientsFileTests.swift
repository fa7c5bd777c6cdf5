import Foundation
import Testing
import VCCCredentials

@Suite struct RecipientsFileTests {
    /// A recipients file written on Windows (CRLF, comments, blank lines) seals as well as
    /// one written on Linux.
    @Test func crlfRecipientsFilesWork() throws {
        let sandbox = try ApplySandbox()
        defer { sandbox.remove() }
        let file = "# team keys\r\n\r\n\(sandbox.identity.recipient)\r\n"
        try Data(file.utf8).write(to: URL(fileURLWithPath: sandbox.path("recipients.txt")))
        var options = sandbox.options(recipients: [])
        options.recipientsFile = sandbox.path("recipients.txt")
        let result = try sandbox.apply(options)
        #expect(result.sealedClientIds.count == 1)
        #expect(try sandbox.sealedSecrets().count == 1)
    }
}
