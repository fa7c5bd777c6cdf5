/// A sealed file before it is written: where it goes and its encrypted bytes. The
/// sealer makes them; the state transaction writes them before the state that names them.
struct SealedOutput {
    var path: String
    var bytes: [UInt8]
}
