import ArgumentParser
import ImageCodecs
import ImageFilters
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

        A dense weight (--weight W.npy, shaped (C_out, C_in/groups, kH, kW) as torch.nn.Conv2d, with --groups G) \
        is drawn on every channel of the input: input and output channels as blocks framed in their group's \
        colour, the window of the first --at position on the input channels of --out-channel's group, and that \
        output outlined; the output is the engine's conv2d, the numbers `conv --weight` writes. At most 16 input \
        and 16 output channels; a picture above 32 px is shown by its centre 32×32.

        Examples:
          imgconv visualize --grid "1 2 3 0 1; 0 1 5 1 0; 1 0 2 2 1; 1 1 2 0 0; 1 0 1 1 1" lesson.png --kernel "1 0 1; 0 1 0; 1 0 1" --products
          imgconv visualize samples/skimage_camera.png conv.png --crop 80,200,24,24 --kernel-size 5 --stride 2 --padding 1
          imgconv visualize digit.png dilated.png --kernel-size 3 --dilation 2 --padding 2 --at 0,0 --at 3,4
          imgconv visualize photo.jpg border.png --filter "blur --box 5" --padding 2 --padding-mode zeros
          imgconv visualize x.npy pool.png --pool max --kernel-size 3 --stride 2 --padding 1 --channel 1
          imgconv visualize x.npy groups.png --weight w.npy --groups 2 --padding 1 --out-channel 1
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

    @Option(help: ArgumentHelp("A dense weight .npy (C_out, C_in/groups, kH, kW), as conv --weight takes it: drawn on every input channel, channels as blocks coloured by group.", valueName: "W.npy"), completion: .file(extensions: ["npy"]))
    var weight: String?

    @Option(help: ArgumentHelp("Groups of --weight: C_in and C_out must be divisible by it (default 1).", valueName: "G"), transform: NumberArgument.integer)
    var groups: Int?

    @Option(help: ArgumentHelp("With --weight: the output channel whose window is drawn, from 0 (default 0).", valueName: "O"), transform: NumberArgument.integer)
    var outChannel: Int?

    func validate() throws {
        guard weight != nil else {
            if groups != nil || outChannel != nil { throw ValidationError("--groups and --out-channel go with --weight.") }
            return
        }
        if operation.filter != nil || operation.kernel != nil || operation.pool != nil {
            throw ValidationError("--weight is the operation: give it without --filter, --kernel or --pool.")
        }
        if operation.channel != nil { throw ValidationError("--weight draws every input channel; --channel does not apply (--out-channel picks the output).") }
        if window.kernelSize != nil { throw ValidationError("--weight sets the window; --kernel-size does not apply.") }
        if products { throw ValidationError("--products writes one plane's sum; with --weight the caption gives the output value.") }
        if at.count > 1 { throw ValidationError("--weight draws one position: give one --at.") }
        if let outChannel, outChannel < 0 { throw ValidationError("--out-channel counts from 0.") }
    }

    /// `conv --weight W --groups G` with this command's window options: the conv command's own reading of the
    /// weight (2-D, 3-D depthwise or 4-D, --flip) and its checks.
    func convArguments(weight: String) throws -> ConvArguments {
        var conv = try ConvArguments.parse(["--weight", weight])
        conv.groups = groups ?? 1
        conv.stride = window.stride ?? Pair(1)
        conv.padding = window.padding ?? .explicit(Pair(0))
        conv.paddingMode = window.paddingMode ?? .zeros
        conv.dilation = window.dilation ?? Pair(1)
        conv.flip = operation.flip
        try conv.validate()
        return conv
    }

    /// The picture of a dense weight: the conv command's filter, drawn by ``GroupedConvolutionDiagram``; nil for a
    /// 2-D weight, which is one kernel on every channel (the ordinary picture).
    func weightDiagram(_ conv: ConvArguments, input: String?) throws -> GroupedConvolutionDiagram.Diagram? {
        guard let dense = try conv.makeStep().filter as? DenseConvolutionFilter else { return nil }
        let prepared = try operation.readInput(input, large: .centreCrop(side: 32), allChannels: true)
        var parameters = dense.parameters
        if dense.groupsEqualInputChannels { parameters.groups = prepared.data.c }
        let position = at.first.map { GridPoint(row: $0.row, column: $0.column) } ?? GridPoint(row: 0, column: 0)
        return try GroupedConvolutionDiagram.draw(prepared, weight: dense.weight, bias: dense.bias, parameters: parameters,
                                                  outputChannel: outChannel ?? 0, position: position, scale: operation.scale,
                                                  numbers: operation.numbers)
    }

    func drawWeight(_ conv: ConvArguments, input: String?, output: String) throws -> [String] {
        guard let diagram = try weightDiagram(conv, input: input) else {
            return try drawRequest(WindowRequest(operation: .filter(conv.pictured())), input: input, output: output)
        }
        try ImageFile.write(diagram.image, to: output, source: nil)
        return diagram.layout.caption
    }

    func drawRequest(_ request: WindowRequest, input: String?, output: String) throws -> [String] {
        let prepared = try operation.readInput(input, large: .centreCrop(side: 48))
        let positions = at.isEmpty ? nil : at.map { GridPoint(row: $0.row, column: $0.column) }
        let options = DiagramOptions(positions: positions, scale: operation.scale, numbers: operation.numbers, products: products)
        let diagram = try ConvolutionDiagram.draw(prepared, operation: try request.resolved(), options: options)
        try ImageFile.write(diagram.image, to: output, source: nil)
        return diagram.layout.caption + diagram.layout.products
    }

    func run() throws {
        let (input, output) = try operation.paths(files)
        if let weight {
            let conv = try Diagnostics.validatingOptions { try convArguments(weight: weight) }
            try Diagnostics.exitingOnFailure {
                try AtomicFile.ensureDistinct(reads: (input.map { [AtomicFile.PathUse("input", $0)] } ?? []) + conv.filesRead,
                                              writes: [AtomicFile.PathUse("output", output)])
                try drawWeight(conv, input: input, output: output).forEach { print($0) }
            }
            return
        }
        // The options first, on their own: a value wrong for every input is a usage error (64).
        let request = try Diagnostics.validatingOptions {
            let request = try window.request(operation)
            _ = try request.resolved()
            return request
        }
        try Diagnostics.exitingOnFailure {
            if let input { try AtomicFile.ensureDistinct(output: output, input: input) }
            try drawRequest(request, input: input, output: output).forEach { print($0) }
        }
    }
}
