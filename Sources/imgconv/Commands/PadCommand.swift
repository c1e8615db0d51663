import ArgumentParser
import ImageFilters
import ImagePipeline
import TensorEngine

struct PadArguments: FilterStepArguments {
    static let stepName = "pad"

    @Option(help: ArgumentHelp("N (all sides), H,W (top/bottom, left/right) or T,B,L,R.", valueName: "P"))
    var padding: Padding

    @Option(help: ArgumentHelp("What the border reads: " + GeometryHelp.paddingModes, valueName: "MODE"))
    var paddingMode: PaddingMode = .zeros

    func makeStep() throws -> PipelineStep {
        PipelineStep(try PadFilter(padding: padding, mode: paddingMode), options: FilterOptions(lastChannelIsAlpha: false))
    }
}

struct PadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pad",
        abstract: "Write the padded image or tensor itself: what a convolution sees beyond the border.",
        discussion: """
        Examples:
          imgconv pad photo.png framed.png --padding 40 --padding-mode reflect
          imgconv pad x.npy padded.npy --padding 1,2 --padding-mode circular
        """
    )

    @OptionGroup var files: FileArguments
    @OptionGroup var filter: PadArguments
    @OptionGroup var runOptions: RunOptions

    func run() throws { try runOptions.execute(steps: [filter], files: files.operands) }
}
