import StrictJSON
import Testing

@Test func parsesAnObject() throws {
    let document = try JSONParser.parse(Array(#"{"a": [1, true, null, "x"]}"#.utf8))
    guard case .object(let members) = document.root.content else {
        Issue.record("not an object")
        return
    }
    #expect(members.map(\.key) == ["a"])
}
