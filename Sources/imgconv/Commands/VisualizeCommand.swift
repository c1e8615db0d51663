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
        receptive fields of the marked output positions outlined (dots, or boxes when numbers are written, mark \
        the taps when dilated), and the output with the same positions outlined in the same colours. Both panels \
        are enlarged by the same --scale and drawn on one grey scale, shown by a colour bar with its end values; \
        each cell's value is written in it when the cells are large enough (--numbers / --no-numbers). Max \
        pooling boxes each marked window's maximum. --products writes the first marked window's products and \
        their sum (the lesson's (1×1) + (2×0) + … = 8) and each weight in its tap. Defaults are PyTorch's Conv2d \
        ones (stride 1, padding 0, zeros). A picture larger than 48 px is shown by its centre 48×48 at real \
        pixels unless --crop picks a region. Pictures are limited to 16 megapixels. The caption is also printed.

        Examples:
          imgconv visualize --grid "1 2 3 0 1; 0 1 5 1 0; 1 0 2 2 1; 1 1 2 0 0; 1 0 1 1 1" lesson.png --kernel "1 0 1; 0 1 0; 1 0 1" --products
          imgconv visualize samples/skimage_camera.png conv.png --crop 80,200,24,24 --kernel-size 5 --stride 2 --padding 1
          imgconv visualize digit.png dilated.png --kernel-size 3 --dilation 2 --padding 2 --at 0,0 --at 3,4
          imgconv visualize photo.jpg border.png --filter "blur --box 5" --padding 2 --padding-mode zeros
          imgconv visualize x.npy pool.png --pool max --kernel-size 3 --stride 2 --padding 1 --channel 1
        """
    )

    @Argument(help: ArgumentHelp("IN OUT: an image (PNG or JPEG) or .npy tensor and the picture to write (.png); only OUT with --grid.", valueName: "files"), completion: .file())
    var files: [String]

    @OptionGroup var operation: PictureOperationOptions
    @OptionGroup var window: PictureWindowOptions

    @Option(help: ArgumentHelp("An output position to outline, row,column from 0; repeat for more (default: 0,0, 0,1 and 1,0).", valueName: "R,C"))
    var at: [GridPosition] = []

    @Flag(help: "Write the first marked window's products and their sum, and each weight in its tap.")
    var products = false

    func run() throws {
        let (input, output) = try operation.paths(files)
        // The options first, on their own: a value wrong for every input is a usage error (64).
        let request = try Diagnostics.validatingOptions {
            let request = try window.request(operation)
            _ = try request.resolved()
            return request
        }
        try Diagnostics.exitingOnFailure {
            if let input { try AtomicFile.ensureDistinct(output: output, input: input) }
            let prepared = try operation.readInput(input, large: .centreCrop(side: 48))
            let positions = at.isEmpty ? nil : at.map { GridPoint(row: $0.row, column: $0.column) }
            let options = DiagramOptions(positions: positions, scale: operation.scale, numbers: operation.numbers, products: products)
            let diagram = try ConvolutionDiagram.draw(prepared, operation: try request.resolved(), options: options)
            try ImageFile.write(diagram.image, to: output, source: nil)
            (diagram.layout.caption + diagram.layout.products).forEach { print($0) }
        }
    }
}
