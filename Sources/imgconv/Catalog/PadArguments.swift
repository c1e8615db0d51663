import ArgumentParser
import ImageFilters
import ImagePipeline
import TensorEngine

struct PadArguments: FilterStepArguments {
    @Option(help: ArgumentHelp("N (all sides), H,W (top/bottom, left/right) or T,B,L,R.", valueName: "P"))
    var padding: Padding

    @Option(help: ArgumentHelp("What the border reads: " + GeometryHelp.paddingModes, valueName: "MODE"))
    var paddingMode: PaddingMode = .zeros

    func makeStep() throws -> PipelineStep {
        PipelineStep(try PadFilter(padding: padding, mode: paddingMode), options: FilterOptions(lastChannelIsAlpha: false))
    }
}
