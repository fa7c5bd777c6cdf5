import ArgumentParser

/// How `validate` and `apply` report: text for people, JSON for the pipeline.
enum ResultFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
