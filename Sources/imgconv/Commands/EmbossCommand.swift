import ArgumentParser
import ImageFilters
import ImagePipeline

struct EmbossArguments: FilterStepArguments {
    static let stepName = "emboss"

    @Option(parsing: .unconditional, help: ArgumentHelp("Direction the light comes from, in degrees counter-clockwise from the right (135: top left).", valueName: "DEG"), transform: NumberArgument.float)
    var angle: Float = 135

    @OptionGroup(title: "Geometry") var geometry: FilterGeometryOptions
    @OptionGroup(title: "Values") var output: FilterOutputOptions

    func makeStep() throws -> PipelineStep {
        PipelineStep(try EmbossFilter(angle: angle, geometry: geometry.geometry), options: output.filterOptions)
    }
}

struct EmbossCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emboss",
        abstract: "Emboss an image: a relief lit from one side.",
        discussion: """
        At 135° the kernel is the classic −2 −1 0; −1 1 1; 0 1 2 (weights sum to 1, so flat areas keep their value).

        Examples:
          imgconv emboss photo.jpg relief.jpg
          imgconv emboss photo.jpg relief.png --angle 45 --gray
        """
    )

    @OptionGroup var files: FileArguments
    @OptionGroup var filter: EmbossArguments
    @OptionGroup var runOptions: RunOptions

    func run() throws { try runOptions.execute(steps: [filter], files: files.operands) }
}
