import TensorEngine

/// Float planes → a `.npy` file by rows: the version 1.0 `<f4` header of shape (N, C, H, W) (``NumpyFile``'s,
/// byte for byte) is written first; each strip's rows of plane p (p = n·C + c) are then written with pwrite(2)
/// at that plane's place in the file (C order), so that rows arriving top to bottom for all planes at once
/// fill every plane without holding any. Values go as they are (little-endian Float32): nothing is clamped.
final class NumpyRowEncoder: RowEncoder {
    private let output: OutputFile
    private let shape: TensorShape
    private let dataOffset: Int
    private var rowsWritten = 0
    let width: Int

    init(shape: TensorShape, output: OutputFile) throws {
        self.output = output
        self.shape = shape
        width = shape.w
        let header = NumpyFile.header(shape: [shape.n, shape.c, shape.h, shape.w])
        dataOffset = header.count
        try header.withUnsafeBytes { try output.write($0) }
    }

    /// Every plane's part of a row: converted rows hold plane 0's rows, then plane 1's, and so on.
    var rowBytes: Int { shape.planeCount * width * 4 }
    var takesPlainSamples: Bool { false }
    var clampsWhileConverting: Bool { false }

    /// Copies the rows of every plane, plane after plane, as little-endian Float32; returns 0 (nothing is clamped).
    func convert(_ planes: UnsafePointer<Float>, planeStride: Int, rows: Int, into dst: UnsafeMutablePointer<UInt8>) -> Int {
        let values = rows * width
        let out = UnsafeMutableRawPointer(dst)
        for p in 0..<shape.planeCount {
            let src = planes + p * planeStride
            if 1.littleEndian == 1 {  // the file's byte order: one block copy per plane
                (out + p * values * 4).copyMemory(from: src, byteCount: values * 4)
                continue
            }
            for i in 0..<values {
                out.storeBytes(of: src[i].bitPattern.littleEndian, toByteOffset: (p * values + i) * 4, as: UInt32.self)
            }
        }
        return 0
    }

    func write(_ rows: UnsafePointer<UInt8>, count: Int) throws {
        let block = count * width * 4
        for p in 0..<shape.planeCount {
            let offset = dataOffset + ((p * shape.h + rowsWritten) * width) * 4
            try output.write(UnsafeRawBufferPointer(start: rows + p * block, count: block), at: offset)
        }
        rowsWritten += count
    }

    func finish() throws -> [String] { [] }
}
