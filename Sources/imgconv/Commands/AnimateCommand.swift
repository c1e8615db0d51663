import ArgumentParser
import ImageCodecs
import TensorEngine
import Visualization

struct AnimateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "animate",
        abstract: "An animated GIF of the window sliding: one frame per output position, the output filling in.",
        discussion: """
        Takes visualize's options. Frame i outlines output position i (row-major order) and its window on the \
        padded input, shows the outputs computed so far (the rest empty) and writes the current sum below: each \
        product and the total for kernels and pooling of at most 7×7 on one channel, else the output value. Values are written \
        in the cells when they fit. Every frame has one size and one grey scale. Writes GIF89a through giflib \
        (a .gif output); it loops for ever unless --loop N. A picture larger than 24 px is shown by its centre 24×24 \
        at real pixels unless --crop picks a region. At most 4096 frames and 64 megapixels over all frames.

        Examples: the convolution-arithmetic animations (vdumoulin/conv_arithmetic), on a numbered grid:
          imgconv animate --grid "1 2 3 0; 0 1 2 3; 3 0 1 2; 2 3 0 1" no-padding.gif --kernel-size 3
          imgconv animate --grid "1 2 3 0 1; 0 1 5 1 0; 1 0 2 2 1; 1 1 2 0 0; 1 0 1 1 1" arbitrary.gif --kernel-size 4 --padding 2
          imgconv animate --grid "1 2 3 0 1; 0 1 5 1 0; 1 0 2 2 1; 1 1 2 0 0; 1 0 1 1 1" same.gif --kernel-size 3 --padding 1
          imgconv animate --grid "1 2 3 0 1; 0 1 5 1 0; 1 0 2 2 1; 1 1 2 0 0; 1 0 1 1 1" full.gif --kernel-size 3 --padding 2
          imgconv animate --grid "1 2 3 0 1; 0 1 5 1 0; 1 0 2 2 1; 1 1 2 0 0; 1 0 1 1 1" strides.gif --kernel-size 3 --stride 2
          imgconv animate --grid "1 2 3 0 1; 0 1 5 1 0; 1 0 2 2 1; 1 1 2 0 0; 1 0 1 1 1" pad-strides.gif --kernel-size 3 --stride 2 --padding 1
          imgconv animate --grid "1 2 3 0 1 2; 0 1 5 1 0 3; 1 0 2 2 1 0; 1 1 2 0 0 1; 1 0 1 1 1 2; 2 1 0 3 1 0" odd.gif --kernel-size 3 --stride 2 --padding 1
          imgconv animate --grid "1 2 3 0 1 2 1; 0 1 5 1 0 3 0; 1 0 2 2 1 0 1; 1 1 2 0 0 1 2; 1 0 1 1 1 2 0; 2 1 0 3 1 0 1; 0 2 1 0 1 1 3" dilation.gif --kernel-size 3 --dilation 2
          imgconv animate --grid "1 2 3 0; 0 1 2 3; 3 0 1 2; 2 3 0 1" pool.gif --pool max --kernel-size 2
        """
    )

    @Argument(help: ArgumentHelp("IN OUT: an image (PNG or JPEG) or .npy tensor and the animation to write (.gif); only OUT with --grid.", valueName: "files"), completion: .file())
    var files: [String]

    @OptionGroup var operation: PictureOperationOptions
    @OptionGroup var window: PictureWindowOptions

    @Option(help: ArgumentHelp("Frames per second, 0.1 to 100 (default 2); GIF stores the delay in hundredths of a second.", valueName: "F"))
    var fps: Double = 2

    @Option(help: ArgumentHelp("How many times to play: 0 (default) loops for ever.", valueName: "N"))
    var loop: Int = 0

    func validate() throws {
        guard fps.isFinite, fps >= 0.1, fps <= 100 else { throw ValidationError("--fps takes 0.1 to 100, not \(fps).") }
        guard (0...65535).contains(loop) else { throw ValidationError("--loop takes 0 (for ever) to 65535, not \(loop).") }
    }

    func run() throws {
        let (input, output) = try operation.paths(files)
        guard output.lowercased().hasSuffix(".gif") else {
            throw ValidationError("animate writes an animated GIF: give OUT a .gif name, not '\(output)'.")
        }
        try Diagnostics.exitingOnFailure {
            if let input { try AtomicFile.ensureDistinct(output: output, input: input) }
            let request = try window.request(operation)
            let prepared = try operation.readInput(input, large: .centreCrop(side: 24))
            let animation = try ConvolutionAnimation.frames(prepared, operation: try request.resolved(), scale: operation.scale,
                                                            numbers: operation.numbers)
            let delay = max(1, Int((100 / fps).rounded()))
            try AtomicFile.write(try GIFAnimation.encode(animation.frames, delay: delay, loops: loop), to: output)
            animation.layouts[0].caption.forEach { print($0) }
            print("\(animation.frames.count) frames of \(animation.width)×\(animation.height) at \(delay) cs each")
        }
    }
}
