import ArgumentParser
import ImageFilters
import TensorEngine

/// Stride, padding, padding mode and dilation for the named filters, whose defaults are image
/// conventions: `same` padding with a `reflect` border, so the output keeps the input's size; a border
/// longer than the image keeps reflecting (``FilterGeometry/paddingReach``).
struct FilterGeometryOptions: ParsableArguments {
    @Option(help: ArgumentHelp(GeometryHelp.stride, valueName: "S"))
    var stride: Pair = Pair(1)

    @Option(help: ArgumentHelp("N, H,W, same (output keeps the input's size; at stride s it is ⌈size/s⌉) or valid (none).", valueName: "P"))
    var padding: PaddingSpec = .same

    @Option(help: ArgumentHelp("What the border reads: " + GeometryHelp.paddingModes + " " + GeometryHelp.longBorders, valueName: "MODE"))
    var paddingMode: PaddingMode = .reflect

    @Option(help: ArgumentHelp(GeometryHelp.dilation, valueName: "D"))
    var dilation: Pair = Pair(1)

    func validate() throws {
        try Diagnostics.validatingOptions { try geometry.validate() }
    }

    /// The word `same` on a named filter's command line keeps its documented meaning at every stride (⌈size/s⌉),
    /// which is the library's ``PaddingSpec/centred``; the library's `same` is PyTorch's (stride 1 only).
    var geometry: FilterGeometry {
        FilterGeometry(stride: stride, padding: padding == .same ? .centred : padding, paddingMode: paddingMode, dilation: dilation)
    }
}
