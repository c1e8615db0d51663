import ArgumentParser
import ImageFilters
import TensorEngine

// Command-line spellings of the library's values. Each parser is the library's own, so the CLI and
// the library accept exactly the same text.

extension Pair: ExpressibleByArgument {
    public init?(argument: String) { self.init(parsing: argument) }
}

extension PaddingSpec: ExpressibleByArgument {
    public init?(argument: String) { self.init(parsing: argument) }
}

extension PaddingMode: ExpressibleByArgument {
    public init?(argument: String) { self.init(parsing: argument) }
    /// Shell completion offers the named modes (and `constant=`, to be followed by its value).
    public static var defaultCompletionKind: CompletionKind {
        .list([PaddingMode.zeros, .reflect, .replicate, .circular, .symmetric].map(\.description) + ["constant="])
    }
}

extension AlphaMode: ExpressibleByArgument {}

extension KernelLibrary.EdgeOperator: ExpressibleByArgument {}

extension EdgeFilter.Direction: ExpressibleByArgument {}

extension StructuringElement.Shape: ExpressibleByArgument {}

/// `ROW,COL` for `--at`.
struct GridPosition: ExpressibleByArgument {
    var row: Int
    var column: Int

    init?(argument: String) {
        let parts = argument.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 2, let r = parts[0], let c = parts[1], r >= 0, c >= 0 else { return nil }
        row = r
        column = c
    }
}

extension Padding: ExpressibleByArgument {
    public init?(argument: String) { self.init(parsing: argument) }
}
