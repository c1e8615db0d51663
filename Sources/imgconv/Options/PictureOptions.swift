import ArgumentParser
import ImageCodecs
import ImageFilters
import TensorEngine
import Visualization

/// What `visualize` and `sweep` slide over the input: a named filter, a kernel, a pooling, or (default)
/// plain sampling by the window's centre tap.
struct PictureOperationOptions: ParsableArguments {
    @Option(help: ArgumentHelp("blur (a K×K box), sharpen, edge (Sobel) or emboss (3×3 each). Default: the window's centre tap, which shows what stride and padding keep.", valueName: "NAME"))
    var filter: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Your own kernel as rows, e.g. \"1 0 -1; 2 0 -2; 1 0 -1\" (any form `conv --kernel` takes).", valueName: "ROWS"))
    var kernel: String?

    @Option(help: ArgumentHelp("Pooling instead of convolution: max or avg (stride defaults to the window).", valueName: "max|avg"), completion: .list(["max", "avg"]))
    var pool: String?

    @Option(help: ArgumentHelp("Window size: N or H,W (default 3; 2 for pooling; set by --kernel).", valueName: "K"))
    var kernelSize: Pair?

    @Option(help: ArgumentHelp("Show the region X,Y,W,H of a large picture at its real pixels (otherwise it is reduced).", valueName: "X,Y,W,H"))
    var crop: CropRegion?

    @Option(help: ArgumentHelp("Canvas pixels per sample (default: chosen so the panels are a few hundred pixels).", valueName: "N"))
    var scale: Int?

    func validate() throws {
        guard [filter, kernel, pool].compactMap({ $0 }).count <= 1 else {
            throw ValidationError("Give at most one of --filter, --kernel and --pool.")
        }
        if let pool, pool != "max" && pool != "avg" { throw ValidationError("--pool takes max or avg, not '\(pool)'.") }
        if let filter, !WindowRequest.filterNames.contains(filter) {
            throw ValidationError("--filter takes \(WindowRequest.filterNames.joined(separator: ", ")), not '\(filter)'.")
        }
        if let scale, scale < 1 { throw ValidationError("--scale must be at least 1.") }
    }

    func operation() throws -> WindowRequest.Operation {
        if let filter { return .filter(filter) }
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

    /// Reads `path` (images in [0, 1]; `.npy` as stored) and picks, crops or reduces the plane to show.
    func readInput(_ path: String, maxSide: Int) throws -> PreparedInput {
        let decoded = try ImageFile.read(path)
        return try PreparedInput.prepare(decoded.tensor, isImage: decoded.metadata.format != .npy, crop: crop, maxSide: maxSide)
    }
}

extension CropRegion: ExpressibleByArgument {
    public init?(argument: String) { self.init(parsing: argument) }
}
