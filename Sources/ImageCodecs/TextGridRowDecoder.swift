import TensorEngine

/// A text grid served by rows: grids are small and have no fixed-width layout, so the file is parsed whole
/// (``TextGridFile``) when opened and its (1, 1, H, W) plane handed out row by row.
final class TextGridRowDecoder: RowDecoder {
    private let grid: Tensor
    private var rowsRead = 0
    let shape: TensorShape
    let metadata: ImageMetadata
    var orientation: Int { 1 }

    init(_ file: InputFile, path: String) throws {
        grid = try TextGridFile.read(contentsOf: file.all(name: path), path: path)
        shape = grid.shape
        metadata = ImageFile.tensorMetadata(shape, format: .text)
    }

    func read(into planes: UnsafeMutablePointer<Float>, planeStride: Int, rows: Int) throws {
        let width = shape.w
        grid.withUnsafeBufferPointer { values in
            planes.update(from: values.baseAddress! + rowsRead * width, count: rows * width)
        }
        rowsRead += rows
    }

    func readAll() throws -> Tensor { grid }

    var sampleRowBytes: Int? { nil }

    func readSamples(into dst: UnsafeMutablePointer<UInt8>, rows: Int) throws {
        preconditionFailure("text grid values are not 8-bit samples")
    }

    func finish() throws -> [String] { [] }
}
