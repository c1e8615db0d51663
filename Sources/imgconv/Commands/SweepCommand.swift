import ArgumentParser
import ImageCodecs
import TensorEngine
import Visualization

struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "A contact sheet: one labelled output per combination of kernel sizes, strides, dilations, paddings and padding modes.",
        discussion: """
        Every list option takes several values (a pair is H,W), and every combination becomes a tile. The options \
        given more than one value are laid out in the order --kernel-size, --stride, --dilation, --padding, \
        --padding-mode: the first one varied runs along the row, the others, combined, down the rows (one varied \
        option is one row, two are rows × columns). All outputs are drawn at the same scale and on one grey scale, \
        so their true relative sizes and borders compare at a glance; values are written in the cells when they \
        fit (--numbers / --no-numbers). Combinations PyTorch refuses (same padding with stride 2, reflect padding \
        as large as the input) say why on their tile, and the reason is printed. Pictures larger than 64 px are \
        reduced unless --crop picks a region. Pictures are limited to 16 megapixels.

        Examples:
          imgconv sweep samples/skimage_camera.png strides.png --filter blur --stride 1 2 4 --padding 0 2
          imgconv sweep photo.jpg borders.png --filter "blur --box 9" --padding 4 --padding-mode zeros reflect replicate circular
          imgconv sweep digit.png sizes.png --kernel-size 3 5 7 --dilation 1 2
          imgconv sweep --grid "1 2 3 0; 4 5 6 1; 7 8 9 2; 0 1 2 3" pools.png --pool max --kernel-size 2 3 --stride 1 2
        """
    )

    @Argument(help: ArgumentHelp("IN OUT: an image (PNG or JPEG) or .npy tensor and the sheet to write (.png); only OUT with --grid.", valueName: "files"), completion: .file())
    var files: [String]

    @OptionGroup var operation: PictureOperationOptions

    @Option(parsing: .upToNextOption, help: ArgumentHelp("Window sizes to try: N or H,W each (default 3; 2 for pooling; set by --kernel).", valueName: "K"))
    var kernelSize: [Pair] = []

    @Option(parsing: .upToNextOption, help: ArgumentHelp("Strides to try: N or H,W each (default 1; the window for pooling).", valueName: "S"))
    var stride: [Pair] = []

    @Option(parsing: .upToNextOption, help: ArgumentHelp("Paddings to try: N, H,W, same or valid each (default 0).", valueName: "P"))
    var padding: [PaddingSpec] = []

    @Option(parsing: .upToNextOption, help: ArgumentHelp("Dilations to try: N or H,W each (default 1).", valueName: "D"))
    var dilation: [Pair] = []

    @Option(parsing: .upToNextOption, help: ArgumentHelp("Padding modes to try (default zeros). " + GeometryHelp.paddingModes, valueName: "MODE"))
    var paddingMode: [PaddingMode] = []

    func validate() throws {
        if operation.filter != nil && !kernelSize.isEmpty {
            throw ValidationError("A --filter's kernel sets the window, so --kernel-size does not apply; give the filter's own options (--filter \"blur --box 5\") or use --kernel.")
        }
    }

    func run() throws {
        let (input, output) = try operation.paths(files)
        // The operation first, on its own: a kernel wrong for every input is a usage error (64).
        let base = try Diagnostics.validatingOptions { WindowRequest(operation: try operation.operation(), flip: operation.flip) }
        try Diagnostics.exitingOnFailure {
            if let input { try AtomicFile.ensureDistinct(output: output, input: input) }
            let prepared = try operation.readInput(input, large: .reduce(maxSide: 64))
            let sheet = try ContactSheet.draw(prepared, base: base, kernelSizes: kernelSize, strides: stride, paddings: padding,
                                              dilations: dilation, paddingModes: paddingMode, scale: operation.scale,
                                              numbers: operation.numbers)
            try ImageFile.write(sheet.image, to: output, source: nil)
            sheet.layout.caption.forEach { print($0) }
            for tile in sheet.layout.tiles {
                print(tile.label.joined(separator: ", ") + (tile.error.map { " (\($0))" } ?? ""))
            }
        }
    }
}
