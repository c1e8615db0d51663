import ArgumentParser
import ImageFilters
import ImagePipeline

struct EdgeArguments: ImageFilterStepArguments {
    @Option(name: .customLong("operator"), help: ArgumentHelp("sobel | prewitt | scharr | laplacian | laplacian8.", valueName: "NAME"))
    var edgeOperator: KernelLibrary.EdgeOperator = .sobel

    @Option(help: ArgumentHelp("x (brightness growing rightwards), y (downwards) or magnitude √(x² + y²). Laplacians have no direction.", valueName: "x|y|magnitude"))
    var direction: EdgeFilter.Direction = .magnitude

    @Flag(help: "Find edges in each colour channel instead of in the luminance.")
    var perChannel = false

    @Option(parsing: .unconditional, help: ArgumentHelp("Multiply the response (default 1: a Sobel edge of 0.25 already reaches white).", valueName: "F"), transform: NumberArgument.float)
    var scale: Float = 1

    @OptionGroup(title: "Geometry") var geometry: FilterGeometryOptions
    @OptionGroup(title: "Values") var output: FilterOutputOptions

    func makeStep() throws -> PipelineStep {
        PipelineStep(try EdgeFilter(operator: edgeOperator, direction: direction, perChannel: perChannel, scale: scale,
                                    geometry: geometry.geometry),
                     options: output.filterOptions)
    }
}
