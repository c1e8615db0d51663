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

/// Filters run one after another on the same tensor, with no intermediate files.
public struct Pipeline: Sendable {
    public var steps: [PipelineStep]

    public init(_ steps: [PipelineStep]) {
        self.steps = steps
    }

    /// Checks every step against the shape it will receive, before any pixel is touched;
    /// returns the final shape. An error names the step (from 1) and its reason.
    /// With `maxPixels`, a step whose output plane would have more pixels than that is refused too
    /// (the decoders' limit, so that no step makes an image larger than one imgconv would read).
    @discardableResult
    public func validate(inputShape: TensorShape, lastChannelIsAlpha: Bool, maxPixels: Int? = nil) throws -> TensorShape {
        var shape = inputShape
        for (index, step) in steps.enumerated() {
            do {
                let hasAlpha = lastChannelIsAlpha && step.options.lastChannelIsAlpha && (shape.c == 2 || shape.c == 4)
                var colour = shape
                if hasAlpha { colour.c -= 1 }
                if step.options.gray && colour.c >= 3 { colour.c = 1 }
                var out = try step.filter.outputShape(for: colour)
                if hasAlpha && (step.options.alphaMode ?? step.filter.defaultAlphaMode) != .drop { out.c += 1 }
                let pixels = out.h.multipliedReportingOverflow(by: out.w)
                if let maxPixels, pixels.overflow || pixels.partialValue > maxPixels {
                    throw PipelineError("the output would be \(out.w)×\(out.h), more than the \(maxPixels)-pixel limit (--max-pixels)")
                }
                try TensorShape.validateCount(n: out.n, c: out.c, h: out.h, w: out.w)
                shape = out
            } catch {
                throw PipelineError(steps.count == 1 ? "\(error)" : "step \(index + 1) (\(step.filter.summary)): \(error)")
            }
        }
        return shape
    }

    /// Runs every step; returns the result and the steps' notes (what `--verbose` prints).
    public func run(on input: Tensor, lastChannelIsAlpha: Bool, maxPixels: Int? = nil) throws -> FilterOutcome {
        try validate(inputShape: input.shape, lastChannelIsAlpha: lastChannelIsAlpha, maxPixels: maxPixels)
        var tensor = input
        var notes: [String] = []
        for step in steps {
            var options = step.options
            options.lastChannelIsAlpha = lastChannelIsAlpha && step.options.lastChannelIsAlpha
            let outcome = try FilterRunner.run(step.filter, on: tensor, options: options)
            tensor = outcome.tensor
            notes += outcome.notes
        }
        return FilterOutcome(tensor: tensor, notes: notes)
    }
}

/// Why a pipeline or file job could not run. `description` is one plain sentence.
public struct PipelineError: Error, CustomStringConvertible, Sendable, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
