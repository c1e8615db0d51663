import TensorEngine

/// PyTorch's pooling indices (`return_indices=True`) written by rows into a version 1.0 `<i8` `.npy` of shape
/// (N, C, H, W), as ``NumpyFile/encode(int64:shape:)`` would write them whole: the header first, then each strip's
/// rows of plane p at that plane's place in the file (pwrite), so no plane is held. Like ``ImageWriter``, the file is
/// a nameless temporary until ``finish()`` names it; dropping the writer unfinished leaves nothing behind.
package final class IndexWriter {
    package let path: String
    package let shape: TensorShape
    private let output: OutputFile
    private let dataOffset: Int
    private var rowsWritten = 0

    package init(path: String, shape: TensorShape) throws {
        self.path = path
        self.shape = shape
        output = try OutputFile(.file(path), fault: nil)
        let header = NumpyFile.header(descr: "<i8", shape: [shape.n, shape.c, shape.h, shape.w])
        dataOffset = header.count
        try header.withUnsafeBytes { try output.write($0) }
    }

    /// Appends the next `rows` rows of every plane: `indices` holds plane 0's rows, then plane 1's, … (the NCHW
    /// order of a strip of `rows` rows).
    package func append(_ indices: [Int64], rows: Int) throws {
        precondition(indices.count == shape.planeCount * rows * shape.w && rowsWritten + rows <= shape.h, "indices do not fit")
        let block = rows * shape.w
        let bytes = indices.map { $0.littleEndian }
        try bytes.withUnsafeBytes { raw in
            for p in 0..<shape.planeCount {
                let offset = dataOffset + (p * shape.h + rowsWritten) * shape.w * 8
                try output.write(UnsafeRawBufferPointer(rebasing: raw[(p * block * 8)..<((p + 1) * block * 8)]), at: offset)
            }
        }
        rowsWritten += rows
    }

    /// Names the file at `path` (every row must have been appended).
    package func finish() throws {
        precondition(rowsWritten == shape.h, "\(rowsWritten) of \(shape.h) rows appended")
        try output.commit()
    }
}
