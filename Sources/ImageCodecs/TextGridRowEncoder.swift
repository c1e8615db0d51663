import TensorEngine

/// A (1, 1, H, W) plane → a text grid. The `.txt` layout right-aligns every column to the widest value of the
/// whole grid, which is known only at the end, so rows are collected (grids are small) and the file is
/// written by ``finish()`` (``TextGridFile/encode(_:path:)``). Values go as they are: nothing is clamped.
final class TextGridRowEncoder: RowEncoder {
    private let output: OutputFile
    private let shape: TensorShape
    private var values: [Float] = []
    let width: Int

    /// `shape` is (1, 1, H, W) (``TextGridFile/checkShape(_:path:)``, checked by ``ImageWriter`` first).
    init(shape: TensorShape, output: OutputFile) {
        self.output = output
        self.shape = shape
        width = shape.w
        values.reserveCapacity(shape.count)
    }

    var rowBytes: Int { width * 4 }
    var takesPlainSamples: Bool { false }
    var clampsWhileConverting: Bool { false }

    /// The rows' values as little-endian Float32; returns 0 (nothing is clamped).
    func convert(_ planes: UnsafePointer<Float>, planeStride: Int, rows: Int, into dst: UnsafeMutablePointer<UInt8>) -> Int {
        let out = UnsafeMutableRawPointer(dst)
        for i in 0..<(rows * width) { out.storeBytes(of: planes[i].bitPattern.littleEndian, toByteOffset: i * 4, as: UInt32.self) }
        return 0
    }

    func write(_ rows: UnsafePointer<UInt8>, count: Int) throws {
        let raw = UnsafeRawPointer(rows)
        for i in 0..<(count * width) {
            values.append(Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self))))
        }
    }

    func finish() throws -> [String] {
        let text = try TextGridFile.encode(Tensor(shape: shape, storage: values), path: output.name)
        try text.withUnsafeBytes { try output.write($0) }
        return []
    }
}
