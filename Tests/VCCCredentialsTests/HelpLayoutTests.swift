import Testing
import VCCCredentials

@Suite struct HelpLayoutTests {
    static let help = """
        OVERVIEW: Something long enough to be wrapped already by the parser itself.

        USAGE: tool run [--state <file>] [--as <user> ...] [--format <format>] [<plan-file>]

        OPTIONS:
          --state <file>          The state.
        """

    @Test func theUsageIsBrokenBetweenWholeOptionsUnderTheCommand() {
        let wrapped = HelpLayout.wrappingUsage(Self.help, columns: 40)
        #expect(
            wrapped == """
                OVERVIEW: Something long enough to be wrapped already by the parser itself.

                USAGE: tool run [--state <file>]
                       [--as <user> ...]
                       [--format <format>] [<plan-file>]

                OPTIONS:
                  --state <file>          The state.
                """)
    }

    @Test func aUsageThatFitsIsLeftAlone() {
        #expect(HelpLayout.wrappingUsage(Self.help, columns: 90) == Self.help)
        #expect(HelpLayout.wrappingUsage("0.1.0", columns: 10) == "0.1.0")
    }
}
