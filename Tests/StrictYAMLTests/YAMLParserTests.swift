import StrictYAML
import Testing

@Test func parsesAMapping() throws {
    let documents = try YAMLParser.parse(Array("a: 1\n".utf8))
    #expect(documents.count == 1)
}
