import ArgumentParser
import ImageFilters
import ImagePipeline

struct BlurArguments: FilterStepArguments {
    static let stepName = "blur"

    @Option(help: ArgumentHelp("Gaussian standard deviation in pixels.", valueName: "σ"), transform: NumberArgument.float)
    var sigma: Float = 2

    @Option(help: ArgumentHelp("Gaussian kernel radius (default ⌈3σ⌉; the kernel is 2·radius + 1 wide).", valueName: "R"), transform: NumberArgument.integer)
    var radius: Int?

    @Option(help: ArgumentHelp("Box (mean) blur of N × N pixels instead of a Gaussian.", valueName: "N"), transform: NumberArgument.integer)
    var box: Int?

    @Option(help: ArgumentHelp("Motion blur along a line LENGTH pixels long instead of a Gaussian (see --angle).", valueName: "LENGTH"), transform: NumberArgument.float)
    var motion: Float?

    @Option(parsing: .unconditional, help: ArgumentHelp("Motion blur direction in degrees, counter-clockwise from horizontal.", valueName: "DEG"), transform: NumberArgument.float)
    var angle: Float = 0

    @OptionGroup(title: "Geometry") var geometry: FilterGeometryOptions
    @OptionGroup(title: "Values") var output: FilterOutputOptions

    func validate() throws {
        if box != nil && motion != nil { throw ValidationError("Choose --box or --motion, not both.") }
    }

    func makeStep() throws -> PipelineStep {
        let shape: BlurFilter.Shape = if let box { .box(size: box) }
            else if let motion { .motion(length: motion, angle: angle) }
            else { .gaussian(sigma: sigma, radius: radius) }
        return PipelineStep(try BlurFilter(shape, geometry: geometry.geometry), options: output.filterOptions)
    }
}

struct BlurCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "blur",
        abstract: "Smooth an image: Gaussian (default), box or motion blur.",
        discussion: """
        The Gaussian kernel is exp(−x²/2σ²) over ±radius, normalised to sum 1 (OpenCV's getGaussianKernel); \
        it runs as two 1-D passes. The output keeps the input's size with a reflect border, and transparent \
        pixels leave no dark fringe (colour is premultiplied by alpha).

        Examples:
          imgconv blur photo.jpg soft.jpg --sigma 3
          imgconv blur photo.png boxed.png --box 5
          imgconv blur photo.png moving.png --motion 15 --angle 30
          imgconv blur photos/ blurred/ --sigma 2          (a whole folder)
        """
    )

    @OptionGroup var files: FileArguments
    @OptionGroup var filter: BlurArguments
    @OptionGroup var runOptions: RunOptions

    func run() throws { try runOptions.execute(steps: [filter], files: files.operands) }
}
