import ArgumentParser

/// The named filters, each listed once: its name, its help (abstract and discussion) and the argument type
/// that parses its options and builds it. Everything that names a filter is derived from this list:
/// - the subcommands (`imgconv blur …`, through ``FilterCommand``, or the entry's own command);
/// - the pipeline's step names and the list in `pipeline --help`;
/// - the `--filter` names of `visualize`, `sweep` and `animate`, which build the filter with the same
///   argument type (``FilterStepArguments/pictured()``), so a picture's `blur` is the `blur` command's.
enum FilterCatalog {
    struct Entry {
        /// The command and step name (`blur`).
        let name: String
        let abstract: String
        let discussion: String
        let arguments: any FilterStepArguments.Type
        /// The subcommand: ``FilterCommand`` of ``arguments`` unless the filter needs more (maxpool's `--indices`).
        let command: any ParsableCommand.Type

        init(_ name: String, _ arguments: any FilterStepArguments.Type, command: (any ParsableCommand.Type)? = nil,
             abstract: String, discussion: String) {
            self.name = name
            self.arguments = arguments
            self.command = command ?? arguments.defaultCommand
            self.abstract = abstract
            self.discussion = discussion
        }

        /// A morphology or rank filter: its definition, the shared element paragraph and its examples.
        static func morphology(_ name: String, _ arguments: any FilterStepArguments.Type, abstract: String, definition: String,
                               examples: [String]) -> Entry {
            Entry(name, arguments, abstract: abstract, discussion: definition + "\n\n" + FilterCatalog.morphologyElementHelp
                    + "\n\nExamples:\n" + examples.map { "  " + $0 }.joined(separator: "\n"))
        }

        var configuration: CommandConfiguration {
            CommandConfiguration(commandName: name, abstract: abstract, discussion: discussion)
        }
    }

    static let entries: [Entry] = [
        Entry("blur", BlurArguments.self, abstract: "Smooth an image: Gaussian (default), box or motion blur.", discussion: """
            The Gaussian kernel is exp(−x²/2σ²) over ±radius, normalised to sum 1 (OpenCV's getGaussianKernel); \
            it runs as two 1-D passes. The output keeps the input's size with a reflect border, and transparent \
            pixels leave no dark fringe (colour is premultiplied by alpha).

            Examples:
              imgconv blur photo.jpg soft.jpg --sigma 3
              imgconv blur photo.png boxed.png --box 5
              imgconv blur photo.png moving.png --motion 15 --angle 30
              imgconv blur photos/ blurred/ --sigma 2          (a whole folder)
            """),
        Entry("sharpen", SharpenArguments.self, abstract: "Sharpen an image with an unsharp mask (default) or the classic 3×3 kernel.", discussion: """
            Unsharp mask: out = x + amount·(x − G_σ ⋆ x) where |x − G_σ ⋆ x| ≥ threshold. \
            Output keeps the input's size, values are clamped to [0, 1].

            Examples:
              imgconv sharpen photo.jpg crisp.jpg
              imgconv sharpen photo.jpg crisp.jpg --sigma 2 --amount 1.5 --threshold 0.02
              imgconv sharpen photo.png crisp.png --kernel classic
            """),
        Entry("edge", EdgeArguments.self, abstract: "Detect edges with Sobel (default), Prewitt, Scharr or a Laplacian.", discussion: """
            By default on the luminance, gray output: the gradient magnitude √(gx² + gy²) on the 0–1 scale, \
            unscaled (as an 8-bit vips sobel), shown as |v| and clamped. Sobel x is −1 0 1; −2 0 2; −1 0 1.

            Examples:
              imgconv edge photo.jpg edges.png
              imgconv edge photo.jpg vertical.png --direction x --offset 0.5
              imgconv edge photo.png edges.png --operator laplacian --per-channel
            """),
        Entry("emboss", EmbossArguments.self, abstract: "Emboss an image: a relief lit from one side.", discussion: """
            At 135° the kernel is the classic −2 −1 0; −1 1 1; 0 1 2 (weights sum to 1, so flat areas keep their value).

            Examples:
              imgconv emboss photo.jpg relief.jpg
              imgconv emboss photo.jpg relief.png --angle 45 --gray
            """),
        Entry("identity", IdentityArguments.self, abstract: "Run the 1×1 kernel [1] through the whole pipeline: a check that it is lossless.", discussion: """
            PNG in, PNG out gives the same pixels bit for bit (16-bit stays 16-bit). With --stride it shows \
            which pixels a strided filter keeps.

            Examples:
              imgconv identity photo.png same.png
              imgconv identity photo.png every-other.png --stride 2
            """),
        Entry("conv", ConvArguments.self, abstract: "Convolve with a kernel or a weight tensor, exactly as torch.nn.Conv2d.", discussion: """
            Defaults are PyTorch's: stride 1, padding 0 (the output shrinks), zeros, cross-correlation. \
            H_out = ⌊(H + 2·p − d·(k − 1) − 1)/s⌋ + 1. Image in → values in [0, 1]; .npy or .txt/.csv grid in → \
            raw values. Image out → clamped and quantised (1–4 channels; how many values were clipped is a \
            warning); .npy out → raw float32; .txt/.csv out → one plane of exact numbers.

            A --weight with several output channels per group runs as a matrix product at the CPU's widest \
            vector level (--verbose names it; IMGCONV_CPU=sse2|avx2|avx512 asks for a narrower one). AVX2 and \
            AVX-512 fuse its multiply-adds, so their results differ from sse2's by rounding only (within 10⁻⁶ \
            of the output's largest value); every other step gives the same bits at every level.

            Examples:
              imgconv conv in.png out.png --kernel "1 0 1; 0 1 0; 1 0 1" --normalize --padding same
              imgconv conv grid.txt out.txt --kernel "1 0 1; 0 1 0; 1 0 1"
              imgconv conv x.npy y.npy --weight w.npy --bias b.npy --stride 2 --padding 1 --groups 2
              imgconv conv in.png out.png --kernel-file blur.mat --padding-mode reflect --padding 2
              imgconv conv in.png edges.png --kernel sobel-x --padding same --padding-mode reflect
              imgconv conv in.png soft.png --kernel gaussian:1.5 --padding same
              imgconv conv in.png bokeh.png --kernel-file disk.png --normalize --padding same
            """),
        Entry("maxpool", MaxPoolArguments.self, command: MaxPoolCommand.self,
              abstract: "Max pooling, exactly as torch.nn.MaxPool2d (or AdaptiveMaxPool2d with --output-size).", discussion: """
            Every channel is pooled on its own. H_out = ⌊(H + 2·p − d·(k − 1) − 1)/s⌋ + 1 (⌈…⌉ with --ceil-mode).

            Examples:
              imgconv maxpool in.png out.png --kernel-size 2
              imgconv maxpool x.npy y.npy --kernel-size 3 --stride 2 --padding 1 --ceil-mode --indices idx.npy
              imgconv maxpool in.png out.png --output-size 7,7
            """),
        Entry("avgpool", AvgPoolArguments.self, abstract: "Average pooling, exactly as torch.nn.AvgPool2d (or AdaptiveAvgPool2d with --output-size).", discussion: """
            Every channel is pooled on its own; --kernel-size 2 halves an image (a 2×2 box shrink).

            Examples:
              imgconv avgpool photo.jpg half.jpg --kernel-size 2
              imgconv avgpool x.npy y.npy --kernel-size 3 --stride 2 --padding 1 --no-count-include-pad
              imgconv avgpool photo.png thumb.png --output-size 64,64
            """),
        Entry("pad", PadArguments.self, abstract: "Write the padded image or tensor itself: what a convolution sees beyond the border.", discussion: """
            Examples:
              imgconv pad photo.png framed.png --padding 40 --padding-mode reflect
              imgconv pad x.npy padded.npy --padding 1,2 --padding-mode circular
            """),
        .morphology("dilate", MorphologyArguments<DilateOperation>.self, abstract: "Dilate: the largest value under the structuring element (cv2.dilate).",
                    definition: "y = max of x over the element around each pixel: bright regions grow. Pixels outside the image are ignored (OpenCV's default border; --padding-mode to read one), so it is max pooling at stride 1 with PyTorch's −∞ padding. Large squares cost the same as small ones (van Herk/Gil-Werman).",
                    examples: [
                          "imgconv dilate in.png grown.png --size 5",
                          "imgconv dilate photo.jpg out.jpg --size 7 --shape disk --iterations 2",
                    ]),
        .morphology("erode", MorphologyArguments<ErodeOperation>.self, abstract: "Erode: the smallest value under the structuring element (cv2.erode).",
                    definition: "y = min of x over the element around each pixel: dark regions grow, specks vanish. Pixels outside the image are ignored unless --padding-mode is given.",
                    examples: [
                          "imgconv erode in.png thin.png --size 3 --shape cross",
                          "imgconv erode in.png clean.png --element disk.png    (a 9×9 black-and-white disk)",
                    ]),
        .morphology("open", MorphologyArguments<OpenOperation>.self, abstract: "Opening: erode, then dilate (cv2.MORPH_OPEN): removes bright specks smaller than the element.",
                    definition: "open = dilateⁿ(erodeⁿ(x)) with n = --iterations, as cv2.morphologyEx.",
                    examples: [
                          "imgconv open in.png despeckled.png --size 3",
                    ]),
        .morphology("close", MorphologyArguments<CloseOperation>.self, abstract: "Closing: dilate, then erode (cv2.MORPH_CLOSE): fills dark holes smaller than the element.",
                    definition: "close = erodeⁿ(dilateⁿ(x)) with n = --iterations, as cv2.morphologyEx.",
                    examples: [
                          "imgconv close in.png filled.png --size 5 --shape disk",
                    ]),
        .morphology("gradient", MorphologyArguments<GradientOperation>.self, abstract: "Morphological gradient: dilate − erode (cv2.MORPH_GRADIENT): the outlines of shapes.",
                    definition: "gradient = dilateⁿ(x) − erodeⁿ(x), never negative.",
                    examples: [
                          "imgconv gradient in.png outline.png --size 3",
                    ]),
        .morphology("tophat", MorphologyArguments<TophatOperation>.self, abstract: "Top hat: the image minus its opening (cv2.MORPH_TOPHAT): bright details smaller than the element.",
                    definition: "tophat = x − open(x): never negative for a symmetric element; an even or asymmetric one can make it so (as OpenCV on float images), and an 8-bit output clips that to 0 (as OpenCV's saturating 8-bit result).",
                    examples: [
                          "imgconv tophat in.png details.png --size 15",
                    ]),
        .morphology("blackhat", MorphologyArguments<BlackhatOperation>.self, abstract: "Black hat: the closing minus the image (cv2.MORPH_BLACKHAT): dark details smaller than the element.",
                    definition: "blackhat = close(x) − x: never negative for a symmetric element (otherwise as tophat).",
                    examples: [
                          "imgconv blackhat in.png dark.png --size 15",
                    ]),
        .morphology("median", MorphologyArguments<MedianOperation>.self, abstract: "Median filter: the middle value under the element (cv2.medianBlur, vips rank … n/2).",
                    definition: "y = the ⌊n/2⌋-th smallest of the n values under the element (for odd sizes the median, exactly as cv2.medianBlur); the border replicates the edge (OpenCV's BORDER_REPLICATE) unless --padding-mode is given. Up to 36 values (6×6) a selection network on 8 pixels at once; beyond, a running histogram (Huang's) over exact codes of the values, whose cost grows with the element's side, not its area (about 2k updates a pixel for k×k). Exact for any values (a NaN counts as above +inf).",
                    examples: [
                          "imgconv median photo.jpg clean.jpg --size 5",
                          "imgconv median in.png clean.png --size 3 --shape cross",
                    ]),
        .morphology("rank", RankArguments.self, abstract: "Rank filter: the value at a percentile of those under the element (vips rank, Pillow RankFilter).",
                    definition: "y = the min(n − 1, ⌊P·n/100⌋)-th smallest of the n values under the element: --percentile 0 is erode, 100 is dilate, 50 is median. The border replicates the edge unless --padding-mode is given.",
                    examples: [
                          "imgconv rank photo.jpg out.jpg --percentile 25 --size 5",
                    ]),
    ]

    /// What every morphology and rank filter's help says about its element, exactness and streaming.
    static let morphologyElementHelp = """
        Element: --size K (or H,W, default 3) with --shape square|cross|disk (disk is OpenCV's MORPH_ELLIPSE), \
        or --element FILE (a grid of 0 and 1); anchored at its centre. `imgconv kernels` draws the shapes. \
        Exact on every value (8-bit images give OpenCV's results bit for bit); every channel on its own, \
        alpha kept (--alpha to change); images of any size stream.
        """

    static var names: [String] { entries.map(\.name) }

    /// The names as a sentence's list: `blur, sharpen, …, avgpool or pad`.
    static var nameList: String { names.dropLast().joined(separator: ", ") + " or " + names.last! }

    static func entry(named name: String) -> Entry? { entries.first { $0.name == name } }

    static func entry(for arguments: any FilterStepArguments.Type) -> Entry {
        guard let entry = entries.first(where: { $0.arguments == arguments }) else {
            preconditionFailure("\(arguments) is not in FilterCatalog.entries")
        }
        return entry
    }

    /// One step as `pipeline` and `--filter` take it: a name from the catalog and that command's options
    /// (without files), e.g. `blur --sigma 2`, parsed by the filter's own argument type. Errors are
    /// `ValidationError`s in one sentence (the parser's own for a bad option).
    static func parseStep(_ text: String) throws -> (entry: Entry, arguments: any FilterStepArguments) {
        let words = try ShellWords.split(text)
        guard let name = words.first, let entry = entry(named: name) else {
            throw ValidationError("unknown filter; use \(nameList)")
        }
        return (entry, try entry.arguments.parseStep(Array(words.dropFirst())))
    }
}

/// The command of a catalog filter: `imgconv NAME IN OUT [options]`, its help from the catalog entry.
struct FilterCommand<Arguments: FilterStepArguments>: ParsableCommand {
    static var configuration: CommandConfiguration { FilterCatalog.entry(for: Arguments.self).configuration }

    @OptionGroup var files: FileArguments
    @OptionGroup var filter: Arguments
    @OptionGroup var runOptions: RunOptions

    func run() throws { try runOptions.execute(steps: [filter], files: files.operands) }
}
