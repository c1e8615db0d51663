import ImageFilters
import TensorEngine

/// One filter with the options it runs with.
public struct PipelineStep: Sendable {
    public var filter: any ImageFilter
    public var options: FilterOptions

    public init(_ filter: any ImageFilter, options: FilterOptions = .init()) {
        self.filter = filter
        self.options = options
    }
}

/// Filters run one after another, with no intermediate files: each step a ``StepStage`` of the one row model
/// (see ``FileJob``), whether the image comes from a file or is a tensor in memory.
public struct Pipeline: Sendable {
    public var steps: [PipelineStep]

    public init(_ steps: [PipelineStep]) {
        self.steps = steps
    }

    /// Checks every step against the shape it will receive, before any pixel is touched;
    /// returns the final shape. An error names the step (from 1) and its reason.
    /// With `maxPixels` (the decoders' limit), a step whose output plane would have more pixels than its input
    /// plane and than a quarter of that limit is refused too, so that no option (a typo such as `--padding 10000`)
    /// makes an image far larger than the one it got: 250 megapixels by default, while any image the decoders
    /// accept may stream through steps that keep or shrink its size.
    @discardableResult
    public func validate(inputShape: TensorShape, lastChannelIsAlpha: Bool, maxPixels: Int? = nil) throws -> TensorShape {
        var shape = inputShape
        for (index, step) in steps.enumerated() {
            do {
                let out = try Self.outputShape(of: step, for: shape, lastChannelIsAlpha: lastChannelIsAlpha)
                let pixels = out.h.multipliedReportingOverflow(by: out.w)
                if let maxPixels, pixels.overflow || pixels.partialValue > max(maxPixels / 4, shape.h * shape.w) {
                    throw PipelineError("the output would be \(out.w)×\(out.h), larger than its input and more than a step may make: \(maxPixels / 4) pixels, a quarter of the --max-pixels limit")
                }
                try TensorShape.validateCount(n: out.n, c: out.c, h: 1, w: out.w)
                shape = out
            } catch {
                throw PipelineError(steps.count == 1 ? "\(error)" : "step \(index + 1) (\(step.filter.summary)): \(error)")
            }
        }
        return shape
    }

    /// The shape `step` gives for an image of `input`'s shape: alpha split off and put back (unless dropped),
    /// gray applied, the filter's own output shape.
    static func outputShape(of step: PipelineStep, for input: TensorShape, lastChannelIsAlpha: Bool) throws -> TensorShape {
        let hasAlpha = lastChannelIsAlpha && step.options.lastChannelIsAlpha && (input.c == 2 || input.c == 4)
        var colour = input
        if hasAlpha { colour.c -= 1 }
        if step.options.gray && colour.c >= 3 { colour.c = 1 }
        var out = try step.filter.outputShape(for: colour)
        if hasAlpha && (step.options.alphaMode ?? step.filter.defaultAlphaMode) != .drop { out.c += 1 }
        return out
    }

    /// The steps as row stages after `source`.
    func stages(after source: any RowStage, lastChannelIsAlpha: Bool, stripRows: Int) throws -> [StepStage] {
        var stages: [StepStage] = []
        for (index, step) in steps.enumerated() {
            stages.append(try StepStage(step, number: index + 1, after: stages.last ?? source, lastChannelIsAlpha: lastChannelIsAlpha,
                                        stripRows: stripRows))
        }
        return stages
    }

    /// Runs every step on a tensor in memory, through the same row stages as a file job (strips of `stripRows`
    /// rows); returns the result and the steps' notes (what `--verbose` prints).
    public func run(on input: Tensor, lastChannelIsAlpha: Bool, maxPixels: Int? = nil, stripRows: Int = 32) throws -> FilterOutcome {
        let shape = try validate(inputShape: input.shape, lastChannelIsAlpha: lastChannelIsAlpha, maxPixels: maxPixels)
        try shape.validateCount()
        let source = TensorSource(input)
        let stages = try stages(after: source, lastChannelIsAlpha: lastChannelIsAlpha, stripRows: stripRows)
        guard let last = stages.last else { return FilterOutcome(tensor: input, notes: []) }
        var parts: [Tensor] = []
        var row = 0
        while row < shape.h {
            let strip = row ..< min(row + stripRows, shape.h)
            parts.append(try last.rows(strip, keepingFrom: strip.lowerBound).tensor)
            row = strip.upperBound
        }
        return FilterOutcome(tensor: parts.isEmpty ? Tensor(shape: shape) : Tensor.concatenatingRows(parts), notes: stages.flatMap(\.notes))
    }
}

/// Why a pipeline or file job could not run. `description` is one plain sentence.
public struct PipelineError: Error, CustomStringConvertible, Sendable, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
