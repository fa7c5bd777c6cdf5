@_exported import SourceText
