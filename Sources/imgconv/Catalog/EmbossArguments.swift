import ArgumentParser
import ImageFilters
import ImagePipeline

struct EmbossArguments: ImageFilterStepArguments {
    @Option(parsing: .unconditional, help: ArgumentHelp("Direction the light comes from, in degrees counter-clockwise from the right (135: top left).", valueName: "DEG"), transform: NumberArgument.float)
    var angle: Float = 135

    @OptionGroup(title: "Geometry") var geometry: FilterGeometryOptions
    @OptionGroup(title: "Values") var output: FilterOutputOptions

    func makeStep() throws -> PipelineStep {
        PipelineStep(try EmbossFilter(angle: angle, geometry: geometry.geometry), options: output.filterOptions)
    }
}
