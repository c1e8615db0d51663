import Foundation
import ImageFilters
import TensorEngine

/// One filter with the options it runs with.
public struct PipelineStep: Sendable {
    /// The filter this step runs.
    public var filter: any ImageFilter
    /// Its alpha mode, value policy, gray and alpha options (``/ImageFilters/FilterRunner/run(_:on:options:)`` applies them).
    public var options: FilterOptions

    /// The step; the filter's own defaults unless `options` says otherwise.
    public init(_ filter: any ImageFilter, options: FilterOptions = .init()) {
        self.filter = filter
        self.options = options
    }
}

/// Filters run one after another, with no intermediate files: each step a stage of the one row model
/// (see ``FileJob``), whether the image comes from a file or is a tensor in memory.
public struct Pipeline: Sendable {
    /// The steps, first to last; each receives the previous one's output.
    public var steps: [PipelineStep]

    /// The steps, in order; not checked until the pipeline runs or is validated against a shape.
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
                    throw PipelineError.limitExceeded(path: nil, reason: "the output would be \(out.w)×\(out.h), larger than its input and more than a step may make: \(maxPixels / 4) pixels, a quarter of the pixel limit")
                }
                try TensorShape.validateCount(n: out.n, c: out.c, h: 1, w: out.w)
                shape = out
            } catch {
                let reason = steps.count == 1 ? "\(error)" : "step \(index + 1) (\(step.filter.summary)): \(error)"
                if case .limitExceeded? = error as? PipelineError { throw PipelineError.limitExceeded(path: nil, reason: reason) }
                throw PipelineError.stepDoesNotApply(path: nil, reason: reason)
            }
        }
        return shape
    }

    /// The shape `step` gives for an image of `input`'s shape: alpha split off and put back (unless dropped),
    /// gray applied, the filter's own output shape.
    static func outputShape(of step: PipelineStep, for input: TensorShape, lastChannelIsAlpha: Bool) throws -> TensorShape {
        var options = step.options
        options.lastChannelIsAlpha = lastChannelIsAlpha && step.options.lastChannelIsAlpha
        let preparation = PixelPreparation(step.filter, input: input, options: options)
        var out = try step.filter.outputShape(for: preparation.colourShape)
        if preparation.keepsAlpha { out.c += 1 }
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

    /// Every step's remaining rows computed (``StepStage/computeRemainingRows()``), last step first, once the writer
    /// has every output row: each step's notes then count its whole output.
    static func completeRows(_ stages: [StepStage]) throws {
        for stage in stages.reversed() { try stage.computeRemainingRows() }
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
        try Self.completeRows(stages)
        return FilterOutcome(tensor: parts.isEmpty ? Tensor(shape: shape) : Tensor.concatenatingRows(parts), notes: stages.flatMap(\.notes))
    }
}

/// Why a pipeline or a file job could not run, by what a caller can change. `description` is one plain
/// sentence, `"path: reason"` when the error is about a file.
public enum PipelineError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A step cannot apply to the image that reaches it (a kernel larger than the image, a channel count the
    /// step's weights do not take); `reason` names the step when the pipeline has several.
    case stepDoesNotApply(path: String?, reason: String)
    /// A step would make an image larger than allowed, or a barrier would hold more than a job may.
    case limitExceeded(path: String?, reason: String)
    /// The run stopped before the end of its input (the decoder ended early or was stopped).
    case interrupted(path: String, reason: String)
    /// The run failed for another reason, given by the error below it.
    case failed(path: String, reason: String)

    /// The file the error is about, when it is about one.
    public var path: String? {
        switch self {
        case .stepDoesNotApply(let path, _), .limitExceeded(let path, _): return path
        case .interrupted(let path, _), .failed(let path, _): return path
        }
    }

    /// The sentence without the file name.
    public var reason: String {
        switch self {
        case .stepDoesNotApply(_, let r), .limitExceeded(_, let r), .interrupted(_, let r), .failed(_, let r): return r
        }
    }

    /// The same error about `path`.
    func about(_ path: String) -> PipelineError {
        switch self {
        case .stepDoesNotApply(_, let r): return .stepDoesNotApply(path: path, reason: r)
        case .limitExceeded(_, let r): return .limitExceeded(path: path, reason: r)
        case .interrupted(_, let r): return .interrupted(path: path, reason: r)
        case .failed(_, let r): return .failed(path: path, reason: r)
        }
    }

    /// `"path: reason"`, or the reason alone.
    public var description: String { path.map { "\($0): \(reason)" } ?? reason }
}

extension PipelineError: LocalizedError {
    /// The same sentence as `description`, so that `localizedDescription` shows it.
    public var errorDescription: String? { description }
}
