/// The tool version, recorded in saved plans.
public let version = "0.1.0"
