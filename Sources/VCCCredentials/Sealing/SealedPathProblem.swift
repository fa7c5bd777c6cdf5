/// Why a path cannot take a sealed file. Each would lose the secrets: a folder or a
/// control character makes a journal no run can act on, a temp-file name is swept
/// away by the next run, and a state's side file is overwritten by the apply itself.
public enum SealedPathProblem: Sendable, Hashable {
    case folder
    case controlCharacter
    case temporaryName
    case stateFile
    /// The sealed folder's `index.json`, which the same run rewrites.
    case sealedIndex
}
