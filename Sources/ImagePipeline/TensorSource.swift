import TensorEngine

/// A tensor already in memory as the first stage: ``Pipeline/run(on:lastChannelIsAlpha:maxPixels:)`` and files
/// that are read whole (`.npy` tensors, text grids).
final class TensorSource: RowStage {
    let tensor: Tensor
    let name: String
    var shape: TensorShape { tensor.shape }

    init(_ tensor: Tensor, name: String = "tensor") {
        self.tensor = tensor
        self.name = name
    }

    func rows(_ rows: Range<Int>, keepingFrom keep: Int) throws -> RowWindow {
        RowWindow(tensor.rows(rows), top: rows.lowerBound, height: tensor.h)
    }

    func describe(into plan: inout RowPlanDescription) {
        plan.stages.append("\(name) \(shape.w)×\(shape.h)×\(shape.c) (held whole)")
        plan.noteBuffer(shape.count)
    }
}
