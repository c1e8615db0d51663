import ArgumentParser
import ImageCodecs
import TensorEngine
import Visualization

struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "A contact sheet: one labelled output per combination of strides, paddings, dilations and padding modes.",
        discussion: """
        Every list option takes several values (a pair is H,W), and every combination becomes a tile: \
        columns follow --stride, rows follow --padding-mode, then --padding, then --dilation. All outputs \
        are drawn at the same scale, so their true relative sizes and borders compare at a glance. \
        Combinations PyTorch refuses (same padding with stride 2, reflect padding as large as the input) \
        are labelled "refused" and the reason is printed. Pictures larger than 64 px are reduced unless --crop \
        picks a region.

        Examples:
          imgconv sweep samples/skimage_camera.png strides.png --filter blur --stride 1 2 4 --padding 0 2
          imgconv sweep photo.jpg borders.png --filter blur --kernel-size 9 --padding 4 --padding-mode zeros reflect replicate circular
          imgconv sweep digit.png dilation.png --kernel-size 3 --dilation 1 2 3 --stride 1 2,1
        """
    )

    @Argument(help: "Input image (PNG or JPEG) or .npy tensor.", completion: .file())
    var input: String

    @Argument(help: "The contact sheet to write (.png).", completion: .file(extensions: ["png"]))
    var output: String

    @OptionGroup var operation: PictureOperationOptions

    @Option(parsing: .upToNextOption, help: ArgumentHelp("Strides to try: N or H,W each (default 1; the window for pooling).", valueName: "S"))
    var stride: [Pair] = []

    @Option(parsing: .upToNextOption, help: ArgumentHelp("Paddings to try: N, H,W, same or valid each (default 0).", valueName: "P"))
    var padding: [PaddingSpec] = []

    @Option(parsing: .upToNextOption, help: ArgumentHelp("Dilations to try: N or H,W each (default 1).", valueName: "D"))
    var dilation: [Pair] = []

    @Option(parsing: .upToNextOption, help: ArgumentHelp("Padding modes to try (default zeros). " + GeometryHelp.paddingModes, valueName: "MODE"))
    var paddingMode: [PaddingMode] = []

    func run() throws {
        try Diagnostics.exitingOnFailure {
            try AtomicFile.ensureDistinct(output: output, input: input)
            let base = WindowRequest(operation: try operation.operation(), kernelSize: operation.kernelSize)
            let prepared = try operation.readInput(input, maxSide: 64)
            let sheet = try ContactSheet.draw(prepared, base: base, strides: stride, paddings: padding, dilations: dilation,
                                              paddingModes: paddingMode, scale: operation.scale)
            try ImageFile.write(sheet.image, to: output, source: nil)
            sheet.layout.caption.forEach { print($0) }
            for tile in sheet.layout.tiles {
                print(tile.label.joined(separator: ", ") + (tile.error.map { " (\($0))" } ?? ""))
            }
        }
    }
}
