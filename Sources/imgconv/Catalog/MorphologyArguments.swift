import ArgumentParser
import ImageCodecs
import ImageFilters
import ImagePipeline
import TensorEngine
import Visualization

/// The options every morphology and rank filter shares: the structuring element, iterations, stride and border.
struct MorphologyOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Structuring element size: K or H,W (anchor at the centre, ⌊H/2⌋,⌊W/2⌋).", valueName: "K"))
    var size: Pair = Pair(3)

    @Option(help: ArgumentHelp("square (every pixel), cross (the centre row and column) or disk (OpenCV's MORPH_ELLIPSE of the same size: 5 gives 0 0 1 0 0; 1 1 1 1 1; 1 1 1 1 1; 1 1 1 1 1; 0 0 1 0 0).", valueName: "SHAPE"))
    var shape: StructuringElement.Shape = .square

    @Option(help: ArgumentHelp("The element as a grid of 0 and 1 (a text/CSV grid, a 2-D .npy or a black-and-white image), instead of --size and --shape.", valueName: "FILE"),
            completion: .file())
    var element: String?

    @Option(help: ArgumentHelp("Apply the dilations and erosions (or the median) N times.", valueName: "N"), transform: NumberArgument.integer)
    var iterations: Int = 1

    @Option(help: ArgumentHelp("Step between output pixels (dilate, erode, median, rank; default 1).", valueName: "S"))
    var stride: Pair = Pair(1)

    @Option(help: ArgumentHelp("What the border reads (default as OpenCV: pixels outside are ignored by dilate/erode and their compositions; median and rank replicate the edge): " + GeometryHelp.paddingModes, valueName: "MODE"))
    var paddingMode: PaddingMode?

    func validate() throws {
        if element != nil, size != Pair(3) || shape != .square {
            throw ValidationError("Give --element FILE, or --size and --shape, not both.")
        }
        try Diagnostics.validatingOptions {
            _ = try StructuringElement(shape, size: size)
            _ = try MorphologyFilter(.dilate, element: StructuringElement(shape, size: size), iterations: iterations, stride: stride)
        }
    }

    var filesRead: [AtomicFile.PathUse] { element.map { [.init("--element", $0)] } ?? [] }

    /// The element and how it was given.
    func structuringElement() throws -> (StructuringElement, String) {
        if let element {
            let kernel = try KernelFile.read(element).kernel
            do {
                return (try MorphologyFilter.element(from: kernel), "element from \(element)")
            } catch {
                // The file holds something other than an element: a failed input file, not a bad option.
                throw ImageCodecError.corrupt(path: element, reason: "\(error)")
            }
        }
        return (try StructuringElement(shape, size: size), "\(size.h)×\(size.w) \(shape.rawValue)")
    }

    func filter(_ operation: MorphologyFilter.Operation, percentile: Float? = nil) throws -> MorphologyFilter {
        let (element, label) = try structuringElement()
        return try MorphologyFilter(operation, element: element, elementLabel: label, iterations: iterations, stride: stride,
                                    paddingMode: paddingMode, percentile: percentile)
    }

    /// visualize, sweep and animate: the element's box as the window (centred on its anchor), the filter's own border.
    func pictured(_ name: String, _ make: @escaping @Sendable (MorphologyOptions) throws -> PipelineStep) -> PictureFilter {
        PictureFilter(name: name) { override in
            var options = self
            if let stride = override.stride { options.stride = stride }
            if let mode = override.paddingMode { options.paddingMode = mode }
            if override.padding != nil || (override.dilation.map { $0 != Pair(1) } ?? false) {
                throw VisualizationError("\(name) pads by its element's anchor and has no dilation: give --size, --shape or --element instead")
            }
            let step = try make(options)
            guard let filter = step.filter as? MorphologyFilter else { throw VisualizationError("\(name) is not a morphology filter") }
            let e = filter.element
            let window = SlidingWindow(kernel: Pair(h: e.rows, w: e.columns), stride: filter.stride, padding: e.centredPadding, dilation: Pair(1))
            let kind: PictureFilter.Kind = filter.operation == .dilate && e.isRectangle && filter.iterations == 1 && filter.paddingMode == nil
                ? .maxPool : .convolution(weights: nil)
            let mode = filter.paddingMode ?? ((filter.operation == .median || filter.operation == .rank) ? .replicate : nil)
            return PictureFilter.Built(filter: step.filter, options: step.options, window: window, paddingMode: mode,
                                       paddingReach: .unlimited, kind: kind)
        }
    }
}

/// Which morphology operation a ``MorphologyArguments`` runs.
protocol MorphologyOperationName: Sendable {
    static var operation: MorphologyFilter.Operation { get }
}

enum DilateOperation: MorphologyOperationName { static var operation: MorphologyFilter.Operation { .dilate } }
enum ErodeOperation: MorphologyOperationName { static var operation: MorphologyFilter.Operation { .erode } }
enum OpenOperation: MorphologyOperationName { static var operation: MorphologyFilter.Operation { .open } }
enum CloseOperation: MorphologyOperationName { static var operation: MorphologyFilter.Operation { .close } }
enum GradientOperation: MorphologyOperationName { static var operation: MorphologyFilter.Operation { .gradient } }
enum TophatOperation: MorphologyOperationName { static var operation: MorphologyFilter.Operation { .tophat } }
enum BlackhatOperation: MorphologyOperationName { static var operation: MorphologyFilter.Operation { .blackhat } }
enum MedianOperation: MorphologyOperationName { static var operation: MorphologyFilter.Operation { .median } }

/// dilate, erode, open, close, gradient, tophat, blackhat and median: the element options and the value options.
struct MorphologyArguments<Operation: MorphologyOperationName>: FilterStepArguments {
    @OptionGroup(title: "Structuring element") var morphology: MorphologyOptions
    @OptionGroup(title: "Values") var output: FilterOutputOptions

    init() {}

    var filesRead: [AtomicFile.PathUse] { morphology.filesRead }

    func makeStep() throws -> PipelineStep {
        PipelineStep(try morphology.filter(Operation.operation), options: output.filterOptions)
    }

    func pictured() -> PictureFilter {
        let output = self.output
        return morphology.pictured(Operation.operation.rawValue) { options in
            PipelineStep(try options.filter(Operation.operation), options: output.filterOptions)
        }
    }
}

/// rank: the element options, the percentile and the value options.
struct RankArguments: FilterStepArguments {
    @Option(help: ArgumentHelp("Which sample of each window, as a percentile of its n samples sorted: the min(n − 1, ⌊P·n/100⌋)-th smallest (0: min, 50: median, 100: max).", valueName: "P"),
            transform: NumberArgument.float)
    var percentile: Float

    @OptionGroup(title: "Structuring element") var morphology: MorphologyOptions
    @OptionGroup(title: "Values") var output: FilterOutputOptions

    func validate() throws {
        guard percentile >= 0, percentile <= 100 else { throw ValidationError("--percentile must be between 0 and 100, not \(percentile).") }
    }

    var filesRead: [AtomicFile.PathUse] { morphology.filesRead }

    func makeStep() throws -> PipelineStep {
        PipelineStep(try morphology.filter(.rank, percentile: percentile), options: output.filterOptions)
    }

    func pictured() -> PictureFilter {
        let (output, percentile) = (self.output, self.percentile)
        return morphology.pictured("rank") { options in
            PipelineStep(try options.filter(.rank, percentile: percentile), options: output.filterOptions)
        }
    }
}
