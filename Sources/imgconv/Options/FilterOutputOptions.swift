import ArgumentParser
import ImageFilters

/// Alpha, gray conversion and the output value policy: the options every named filter shares.
struct FilterOutputOptions: ParsableArguments {
    @Option(help: ArgumentHelp("keep: alpha only follows the geometry; filter: colour is premultiplied and alpha filtered too; drop: remove alpha. Default: filter for blur and sharpen, keep for the others.", valueName: "keep|filter|drop"))
    var alpha: AlphaMode?

    @Flag(help: "Convert to gray first (Y = 0.299 R + 0.587 G + 0.114 B, BT.601).")
    var gray = false

    @Flag(help: "Clamp results to [0, 1] (the default for blur, sharpen and emboss).")
    var clamp = false

    @Flag(name: .customLong("abs"), help: "Use |value|, then clamp (the default for edge).")
    var absolute = false

    @Flag(help: "Stretch the results' min…max to 0…1.")
    var normalize = false

    @Option(parsing: .unconditional, help: ArgumentHelp("Add V to every result, then clamp (0.5 shows signed responses around mid-grey, as GIMP).", valueName: "V"), transform: NumberArgument.float)
    var offset: Float?

    func validate() throws {
        let chosen = [clamp, absolute, normalize, offset != nil].filter { $0 }.count
        if chosen > 1 { throw ValidationError("Choose one of --clamp, --abs, --normalize and --offset.") }
    }

    var valuePolicy: ValuePolicy? {
        if clamp { return .clamp }
        if absolute { return .abs }
        if normalize { return .normalize }
        if let offset { return .offset(offset) }
        return nil
    }

    var filterOptions: FilterOptions {
        FilterOptions(alphaMode: alpha, valuePolicy: valuePolicy, gray: gray)
    }
}
