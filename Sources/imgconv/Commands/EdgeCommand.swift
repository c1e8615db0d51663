import ArgumentParser
import ImageFilters
import ImagePipeline

struct EdgeArguments: FilterStepArguments {
    static let stepName = "edge"

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

struct EdgeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edge",
        abstract: "Detect edges with Sobel (default), Prewitt, Scharr or a Laplacian.",
        discussion: """
        By default on the luminance, gray output: the gradient magnitude √(gx² + gy²) on the 0–1 scale, \
        unscaled (as an 8-bit vips sobel), shown as |v| and clamped. Sobel x is −1 0 1; −2 0 2; −1 0 1.

        Examples:
          imgconv edge photo.jpg edges.png
          imgconv edge photo.jpg vertical.png --direction x --offset 0.5
          imgconv edge photo.png edges.png --operator laplacian --per-channel
        """
    )

    @OptionGroup var files: FileArguments
    @OptionGroup var filter: EdgeArguments
    @OptionGroup var runOptions: RunOptions

    func run() throws { try runOptions.execute(steps: [filter], files: files.operands) }
}
