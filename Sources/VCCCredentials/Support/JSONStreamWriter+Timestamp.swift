import StrictJSON

extension JSONStreamWriter {
    /// A timestamp as its canonical text, written without an intermediate string.
    mutating func field(_ name: String, _ value: Timestamp) {
        key(name)
        string { value.append(to: &$0) }
    }
}
