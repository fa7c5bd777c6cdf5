/// One recipient stanza of an age header: `-> TYPE ARGS...` and a base64 body.
struct Stanza: Sendable, Equatable {
    var type: String
    var arguments: [String]
    var body: [UInt8]

    /// The stanza's text: arguments on the first line, the body wrapped at 64 columns and
    /// always ended by a line shorter than 64 (possibly empty).
    func serialized() -> [UInt8] {
        var output = Array("->".utf8)
        for argument in [type] + arguments {
            output.append(UInt8(ascii: " "))
            output.append(contentsOf: argument.utf8)
        }
        output.append(UInt8(ascii: "\n"))
        let encoded = Base64.encode(body, padded: false)
        var start = 0
        repeat {
            let end = min(start + Header.columns, encoded.count)
            output.append(contentsOf: encoded[start..<end])
            output.append(UInt8(ascii: "\n"))
            start += Header.columns
        } while start <= encoded.count
        return output
    }
}
