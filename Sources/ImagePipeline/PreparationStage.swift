import ImageFilters
import TensorEngine

/// A step's pixel preparation as a row stage of its own (``/ImageFilters/PixelPreparation``: alpha split off,
/// dropped or premultiplied, gray): prepared row r is made from input row r, once, when a request first reaches
/// it, and kept until no request needs it; so the rows a filter's windows share are prepared once, not once per
/// strip. ``StepStage`` puts one before its filter when the preparation changes anything.
final class PreparationStage: RowStage {
    let upstream: any RowStage
    let preparation: PixelPreparation
    let shape: TensorShape
    /// The step's number, for `--verbose`.
    let number: Int
    private var cache: RowCache

    init(_ preparation: PixelPreparation, number: Int, after upstream: any RowStage) {
        self.upstream = upstream
        self.number = number
        self.preparation = preparation
        var shape = preparation.shape
        shape.h = upstream.shape.h
        shape.w = upstream.shape.w
        self.shape = shape
        cache = RowCache(shape: shape)
    }

    func rows(_ rows: Range<Int>, keepingFrom keep: Int) throws -> RowWindow {
        cache.drop(below: keep)
        if rows.upperBound > cache.upperBound {
            let new = cache.upperBound ..< rows.upperBound
            cache.append(preparation.apply(try upstream.rows(new, keepingFrom: new.lowerBound).tensor), at: new.lowerBound)
        }
        return cache.window(rows)
    }

    func describe(into plan: inout RowPlanDescription) {
        upstream.describe(into: &plan)
        var what: [String] = []
        if preparation.makesGray { what.append("gray") }
        if preparation.premultiplies { what.append("colour × alpha") }
        if preparation.splitsAlpha && !preparation.keepsAlpha { what.append("alpha dropped") }
        plan.stages.append("step \(number) prepares: " + what.joined(separator: ", "))
    }
}
