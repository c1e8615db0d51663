import ImageFilters
import TensorEngine

/// A pipeline step as a row stage: ``/ImageFilters/FilterRunner`` (the filter, the division by the filtered alpha,
/// the value policy) on the rows its output rows read, computed once each and kept until no request needs them;
/// alpha, gray and premultiplication before it are a ``PreparationStage`` of their own.
///
/// A step whose value policy is `normalize` (a min–max stretch over the whole output) is a barrier: on its first
/// request it computes every output row, strip by strip, holds them, and only then maps them; so it holds its
/// whole output (refused beyond ``/TensorEngine/TensorShape/maxCount`` values). A step whose first output row already reads
/// every input row (vertical circular padding) makes the stage before it keep its whole output; ``describe(into:)``
/// names both.
final class StepStage: RowStage {
    let upstream: any RowStage
    /// What the filter reads: ``upstream``, or a ``PreparationStage`` after it when the step's pixel preparation
    /// changes anything.
    private let prepared: any RowStage
    private let preparation: PixelPreparation
    let step: PipelineStep
    let options: FilterOptions
    let shape: TensorShape
    let number: Int
    /// The step's value policy is left to the writer, which clamps exactly so while converting (``FileJob``).
    var leavesClampToWriter = false
    private var cache: RowCache
    private(set) var clipped = 0
    private(set) var colourValues = 0
    private let stripRows: Int

    init(_ step: PipelineStep, number: Int, after upstream: any RowStage, lastChannelIsAlpha: Bool, stripRows: Int) throws {
        var options = step.options
        options.lastChannelIsAlpha = lastChannelIsAlpha && step.options.lastChannelIsAlpha
        self.upstream = upstream
        self.step = step
        self.options = options
        self.number = number
        self.stripRows = stripRows
        shape = try Pipeline.outputShape(of: step, for: upstream.shape, lastChannelIsAlpha: lastChannelIsAlpha)
        preparation = PixelPreparation(step.filter, input: upstream.shape, options: options)
        prepared = preparation.isIdentity ? upstream : PreparationStage(preparation, number: number, after: upstream)
        cache = RowCache(shape: shape)
    }

    var valuePolicy: ValuePolicy? { step.options.valuePolicy ?? step.filter.defaultValuePolicy }
    var isNormalizing: Bool { valuePolicy == .normalize }
    /// The input's last channel is alpha, filtered or kept beside the colour (``/ImageFilters/FilterRunner``).
    var carriesAlpha: Bool { preparation.splitsAlpha }

    /// Whether the first output row reads every input row, so that the stage before keeps its whole output.
    var readsWholeInput: Bool {
        (try? FilterRunner.inputRows(step.filter, for: 0..<1, image: upstream.shape, options: options)) == 0 ..< upstream.shape.h
            && upstream.shape.h > 1
    }

    func rows(_ rows: Range<Int>, keepingFrom keep: Int) throws -> RowWindow {
        if isNormalizing, cache.upperBound < shape.h { try computeAllAndNormalize() }
        cache.drop(below: keep)
        if rows.upperBound > cache.upperBound { try compute(cache.upperBound ..< rows.upperBound) }
        return cache.window(rows)
    }

    /// Computes the output rows no request reached (a later step's stride or floor-mode pooling may leave the last
    /// few unread), so that the step's `--verbose` count of clipped values covers its whole output, as on a whole
    /// image. Called after the last request, last step first (``Pipeline/completeRows(_:)``).
    func computeRemainingRows() throws {
        while cache.upperBound < shape.h {
            let next = cache.upperBound ..< min(cache.upperBound + stripRows, shape.h)
            cache.drop(below: next.lowerBound)
            try compute(next)
        }
    }

    /// Computes output rows `new` (the next ones) and keeps them.
    private func compute(_ new: Range<Int>) throws {
        var staged = try stage(new)
        if !leavesClampToWriter { clipped += staged.applyValuePolicy() }
        colourValues += staged.colour.shape.count
        cache.append(staged.tensor, at: new.lowerBound)
    }

    private func stage(_ new: Range<Int>) throws -> StagedFilterOutput {
        let needed = try FilterRunner.inputRows(step.filter, for: new, image: upstream.shape, options: options)
        // Rows from here to the end read nothing above this (a suffix's hull only shrinks, so the bound only grows).
        let keep = try FilterRunner.inputRows(step.filter, for: new.lowerBound ..< shape.h, image: upstream.shape, options: options).lowerBound
        let window = try prepared.rows(needed, keepingFrom: min(keep, needed.lowerBound))
        return try FilterRunner.stage(step.filter, onPrepared: window, rows: new, preparation: preparation, options: options)
    }

    /// The barrier of `normalize`: every row staged strip by strip, held, then stretched by the min and max of all.
    private func computeAllAndNormalize() throws {
        do {
            try shape.validateCount()
        } catch {
            throw PipelineError.limitExceeded(path: nil, reason: "normalize needs the step's whole output at once, \(shape.count) values; \(error)")
        }
        var colour: [Tensor] = [], alpha: [Tensor] = []
        var row = 0
        while row < shape.h {
            let staged = try stage(row ..< min(row + stripRows, shape.h))
            colour.append(staged.colour)
            if let a = staged.alpha { alpha.append(a) }
            row += stripRows
        }
        var all = StagedFilterOutput(colour: Tensor.concatenatingRows(colour), alpha: alpha.isEmpty ? nil : Tensor.concatenatingRows(alpha),
                                     notes: [], valuePolicy: valuePolicy)
        clipped += all.applyValuePolicy()
        colourValues += all.colour.shape.count
        cache.append(all.tensor, at: 0)
    }

    /// The step's `--verbose` lines: its summary and how many values its policy clipped.
    var notes: [String] {
        var notes = [step.filter.summary]
        if let policy = valuePolicy { notes.append(FilterRunner.valuesNote(policy, clipped: clipped, of: colourValues)) }
        return notes
    }

    /// Clipped values counted by the writer for this step (``leavesClampToWriter``).
    func addClippedByWriter(_ count: Int) { clipped += count }

    func describe(into plan: inout RowPlanDescription) {
        prepared.describe(into: &plan)
        let rows = (try? FilterRunner.inputRows(step.filter, for: 0..<min(stripRows, shape.h), image: upstream.shape, options: options)) ?? 0..<0
        plan.stages.append("step \(number): \(step.filter.summary) → \(shape.w)×\(shape.h)×\(shape.c)")
        if isNormalizing {
            plan.barriers.append("step \(number) (normalize) holds its whole output: \(RowPlanDescription.bytes(shape.count * 4))")
            plan.noteBuffer(shape.count)
        }
        if readsWholeInput {
            plan.barriers.append("step \(number) reads every input row for its first output row (vertical circular padding): the stage before holds its whole output, \(RowPlanDescription.bytes(upstream.shape.count * 4))")
            plan.noteBuffer(upstream.shape.count)
        }
        plan.noteBuffer(rows.count * upstream.shape.planeCount * upstream.shape.w)
    }
}

extension Tensor {
    /// Tensors of the same N, C and W one below the other.
    static func concatenatingRows(_ parts: [Tensor]) -> Tensor {
        guard let first = parts.first else { preconditionFailure("nothing to concatenate") }
        let height = parts.reduce(0) { $0 + $1.h }
        let out = TensorShape(n: first.n, c: first.c, h: height, w: first.w)
        return Tensor(shape: out) { destination in
            guard out.count > 0 else { return }
            var row = 0
            for part in parts {
                precondition(part.n == first.n && part.c == first.c && part.w == first.w, "cannot stack \(part.shape) under \(first.shape)")
                part.withUnsafeBufferPointer { source in
                    for p in 0..<out.planeCount {
                        (destination.baseAddress! + p * out.planeSize + row * out.w)
                            .update(from: source.baseAddress! + p * part.shape.planeSize, count: part.shape.planeSize)
                    }
                }
                row += part.h
            }
        }
    }
}
