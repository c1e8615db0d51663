import ArgumentParser
import ImageCodecs
import TensorEngine
import Visualization

struct VisualizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "visualize",
        abstract: "Draw what padding, stride and dilation do: the padded input with receptive fields beside the output.",
        discussion: """
        Writes one picture: a caption with the output-size arithmetic filled in (the formula `imgconv shape` \
        prints), the padded input (the padding band holds the padding mode's real values, tinted blue) with the \
        receptive fields of a few output positions outlined (dots mark the taps when dilated), and the output \
        with the same positions outlined in the same colours. Both panels are enlarged by the same --scale; \
        grid lines separate samples from 8 px up. Defaults are PyTorch's Conv2d ones (stride 1, padding 0, \
        zeros); pictures larger than 64 px are reduced unless --crop picks a region. The caption is also printed.

        Examples:
          imgconv visualize samples/skimage_camera.png conv.png --crop 200,80,24,24 --kernel-size 5 --stride 2 --padding 1
          imgconv visualize digit.png dilated.png --kernel-size 3 --dilation 2 --padding 2 --at 0,0 --at 3,4
          imgconv visualize photo.jpg border.png --filter blur --kernel-size 5 --padding 2 --padding-mode reflect
          imgconv visualize x.npy pool.png --pool max --kernel-size 3 --stride 2 --padding 1
        """
    )

    @Argument(help: "Input image (PNG or JPEG) or .npy tensor (RGB when it has 3 channels, else channel 0, normalised for display).", completion: .file())
    var input: String

    @Argument(help: "The picture to write (.png).", completion: .file(extensions: ["png"]))
    var output: String

    @OptionGroup var operation: PictureOperationOptions

    @Option(help: ArgumentHelp(GeometryHelp.stride + " Default 1; the window for pooling.", valueName: "S"))
    var stride: Pair?

    @Option(help: ArgumentHelp("N, H,W, same (stride 1 only, as PyTorch) or valid. Default 0.", valueName: "P"))
    var padding: PaddingSpec = .explicit(Pair(0))

    @Option(help: ArgumentHelp("What the padding band holds (default zeros; pooling: −∞ for max). " + GeometryHelp.paddingModes, valueName: "MODE"))
    var paddingMode: PaddingMode?

    @Option(help: ArgumentHelp(GeometryHelp.dilation, valueName: "D"))
    var dilation: Pair = Pair(1)

    @Option(help: ArgumentHelp("An output position to outline, row,column from 0; repeat for more (default: 0,0, 0,1 and 1,0).", valueName: "R,C"))
    var at: [GridPosition] = []

    func run() throws {
        try Diagnostics.exitingOnFailure {
            try AtomicFile.ensureDistinct(output: output, input: input)
            let request = WindowRequest(operation: try operation.operation(), kernelSize: operation.kernelSize, stride: stride,
                                        padding: padding, paddingMode: paddingMode, dilation: dilation)
            let prepared = try operation.readInput(input, maxSide: 64)
            let positions = at.isEmpty ? nil : at.map { GridPoint(row: $0.row, column: $0.column) }
            let diagram = try ConvolutionDiagram.draw(prepared, operation: try request.resolved(), positions: positions, scale: operation.scale)
            try ImageFile.write(diagram.image, to: output, source: nil)
            diagram.layout.caption.forEach { print($0) }
        }
    }
}
