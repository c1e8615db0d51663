import ArgumentParser
import ImageFilters
import ImagePipeline

struct BlurArguments: ImageFilterStepArguments {
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
