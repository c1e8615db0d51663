import ArgumentParser
import ImageCodecs
import ImageFilters
import TensorEngine
import Visualization

/// What `visualize`, `sweep` and `animate` slide over the input: a named filter, a kernel, a pooling, or
/// (default) plain sampling by the window's centre tap; where the input comes from and how it is drawn.
struct PictureOperationOptions: ParsableArguments {
    @Option(help: ArgumentHelp("A filter as that command runs it: \(FilterCatalog.nameList), with its options as a pipeline step (quoted: \"blur --box 5\"). Its kernel sets the window and its geometry the defaults (blur is a 13×13 Gaussian, same padding, reflect border); --stride, --padding, --padding-mode and --dilation replace the step's own. Default: the window's centre tap, which shows what stride and padding keep.", valueName: "STEP"))
    var filter: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Your own kernel as rows, e.g. \"1 0 -1; 2 0 -2; 1 0 -1\" (any form `conv --kernel` takes).", valueName: "ROWS"))
    var kernel: String?

    @Option(help: ArgumentHelp("Pooling instead of convolution: max or avg (stride defaults to the window).", valueName: "max|avg"), completion: .list(["max", "avg"]))
    var pool: String?

    @Flag(help: "True convolution: rotate the --kernel by 180° before sliding it (a filter step flips with its own option: --filter \"conv --kernel emboss --flip\").")
    var flip = false

    @Option(help: ArgumentHelp("A small numeric input instead of a file, as rows: \"1 2 3 0 1; 0 1 5 1 0; …\" (then give only OUT).", valueName: "ROWS"))
    var grid: String?

    @Option(help: ArgumentHelp("Show the region TOP,LEFT,HEIGHT,WIDTH at its real pixels (rows first, like every H,W pair).", valueName: "T,L,H,W"))
    var crop: CropRegion?

    @Option(help: ArgumentHelp("The channel to show and run on, from 0 (default: RGB for colour images, channel 0 of other data).", valueName: "C"))
    var channel: Int?

    @Option(help: ArgumentHelp("Canvas pixels per sample (default: chosen so the panels are a few hundred pixels). Pictures are limited to \(PictureLimit.maxPixels >> 20) megapixels (4096×4096).", valueName: "N"), transform: NumberArgument.integer)
    var scale: Int?

    @Flag(inversion: .prefixedNo, help: "Write each cell's value in it (default: when the cells are large enough, one-channel inputs only).")
    var numbers: Bool?

    func validate() throws {
        guard [filter, kernel, pool].compactMap({ $0 }).count <= 1 else {
            throw ValidationError("Give at most one of --filter, --kernel and --pool.")
        }
        if let pool, pool != "max" && pool != "avg" { throw ValidationError("--pool takes max or avg, not '\(pool)'.") }
        if let filter {
            do { _ = try FilterCatalog.parseStep(filter) } catch {
                throw ValidationError("--filter takes \(FilterCatalog.nameList) with its options, not '\(filter)': \(Diagnostics.text(for: error))")
            }
        }
        if kernel != nil { try Diagnostics.validatingOptions { _ = try operation() } }  // a bad kernel is a usage error, as conv's
        if let scale, scale < 1 { throw ValidationError("--scale must be at least 1.") }
        if let channel, channel < 0 { throw ValidationError("--channel counts from 0.") }
    }

    func operation() throws -> WindowRequest.Operation {
        if let filter { return .filter(try FilterCatalog.parseStep(filter).arguments.pictured()) }
        if let kernel {
            let parsed = try KernelParser.parse(kernel)
            return .kernel(try parsed.kernel.divided(by: parsed.divisor))
        }
        switch pool {
        case "max": return .maxPool
        case "avg": return .avgPool
        default: return .sample
        }
    }

    /// The input and output paths from the positional arguments: `IN OUT`, or only `OUT` with --grid.
    func paths(_ files: [String]) throws -> (input: String?, output: String) {
        switch (files.count, grid) {
        case (2, nil): return (files[0], files[1])
        case (1, .some): return (nil, files[0])
        case (_, nil): throw ValidationError("Give IN and OUT (or --grid ROWS and OUT).")
        default: throw ValidationError("With --grid, give only OUT.")
        }
    }

    /// Reads `path` (images in [0, 1]; `.npy` as stored) or the --grid rows, and picks, crops or reduces the
    /// plane to show.
    /// With `allChannels` every channel is kept (`visualize --weight`).
    func readInput(_ path: String?, large: PreparedInput.LargeInput, allChannels: Bool = false) throws -> PreparedInput {
        if let grid {
            let tensor = try TextGridFile.parse(grid, name: "--grid", rowsSplitBySemicolons: true)
            return try PreparedInput.prepare(tensor, isImage: false, crop: crop, channel: channel, allChannels: allChannels, large: large)
        }
        let decoded = try ImageFile.read(path!)
        return try PreparedInput.prepare(decoded.tensor, isImage: !decoded.metadata.format.holdsRawValues, crop: crop, channel: channel,
                                         allChannels: allChannels, large: large)
    }
}

/// The one window of `visualize` and `animate`.
struct PictureWindowOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Window size: N or H,W (default 3; 2 for pooling; set by --kernel and by a --filter's kernel).", valueName: "K"))
    var kernelSize: Pair?

    @Option(help: ArgumentHelp(GeometryHelp.stride + " Default 1; the window for pooling.", valueName: "S"))
    var stride: Pair?

    @Option(help: ArgumentHelp("N, H,W, same (stride 1 only, as PyTorch) or valid. Default 0; a --filter's own (same for blur, sharpen, edge, emboss, identity).", valueName: "P"))
    var padding: PaddingSpec?

    @Option(help: ArgumentHelp("What the padding band holds (default zeros; pooling: −∞ for max; a --filter's own: reflect for the image filters). " + GeometryHelp.paddingModes, valueName: "MODE"))
    var paddingMode: PaddingMode?

    @Option(help: ArgumentHelp(GeometryHelp.dilation, valueName: "D"))
    var dilation: Pair?

    func request(_ operation: PictureOperationOptions) throws -> WindowRequest {
        WindowRequest(operation: try operation.operation(), kernelSize: kernelSize, stride: stride, padding: padding,
                      paddingMode: paddingMode, dilation: dilation, flip: operation.flip)
    }
}

extension CropRegion: ExpressibleByArgument {
    public init?(argument: String) { self.init(parsing: argument) }
}
