#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import TensorEngine
@testable import ImageCodecs
import TensorTestSupport

/// Files stream both ways (issue 13): ImageReader and ImageWriter cover every format, read and write the file
/// as rows go, and never leave a file or a temporary file behind when they fail or are dropped.
@Suite struct StreamingIOTests {
    /// Every decodable file of the fixtures and, when present, of ../shared/testdata (its PNG suite and JPEG
    /// folders), plus the .npy fixtures and a text grid.
    static let files: [String] = {
        var paths: [String] = []
        func walk(_ folder: String, _ extensions: Set<String>) {
            guard let names = FileManager.default.enumerator(atPath: folder) else { return }
            for case let name as String in names where extensions.contains((name as NSString).pathExtension.lowercased()) {
                paths.append(folder + "/" + name)
            }
        }
        walk(Fixtures.path("pngsuite"), ["png"])
        walk(Fixtures.path("jpeg"), ["jpg", "jpeg"])
        walk(Fixtures.path("metadata"), ["png", "jpg"])
        walk(Fixtures.path("npy"), ["npy"])
        if Fixtures.sharedAvailable {
            walk(Fixtures.shared + "/pngsuite", ["png"])
            walk(Fixtures.shared + "/jpeg", ["jpg", "jpeg"])
        }
        return paths.sorted()
    }()

    /// Rows read through ImageReader in uneven strips (1, 2, 3, … rows, into planes of a wider stride) equal
    /// ImageFile.read's whole decode bit for bit, and both fail alike on a file that does not decode.
    @Test func rowByRowReadingEqualsTheWholeDecode() throws {
        #expect(Self.files.count > 150)
        var compared = 0
        for path in Self.files {
            let options = DecodeOptions(autoOrient: false)
            let whole: DecodedImage
            do {
                whole = try ImageFile.read(path, options: options)
            } catch {
                // The reader must fail too: at its header, or while reading its rows, or at its end.
                #expect(throws: ImageCodecError.self, "\(path)") {
                    let reader = try ImageReader(path, options: options)
                    while reader.rowsRead < reader.shape.h { _ = try reader.read(rows: 5) }
                    _ = try reader.finish()
                }
                continue
            }
            let reader = try ImageReader(path, options: options)
            #expect(reader.shape == whole.tensor.shape, "\(path)")
            #expect(reader.metadata == whole.metadata, "\(path)")
            let shape = reader.shape
            // Planes `stride` floats apart (more than the plane), filled strip by strip at growing heights.
            let stride = shape.planeSize + 3
            var planes = [Float](repeating: .nan, count: max(1, shape.planeCount * stride))
            var step = 1
            try planes.withUnsafeMutableBufferPointer { out in
                while reader.rowsRead < shape.h {
                    let first = reader.rowsRead
                    try reader.read(rows: step, into: out.baseAddress! + first * shape.w, planeStride: stride)
                    #expect(reader.rowsRead == min(first + step, shape.h))
                    step = step % 13 + 1
                }
            }
            #expect(try reader.finish().warnings == whole.warnings, "\(path)")
            var same = true
            whole.tensor.withUnsafeBufferPointer { values in
                for p in 0..<shape.planeCount {
                    for i in 0..<shape.planeSize where planes[p * stride + i].bitPattern != values[p * shape.planeSize + i].bitPattern {
                        same = false
                    }
                }
            }
            #expect(same, "\(path): rows differ from the whole decode")
            compared += 1
        }
        #expect(compared > 150)
    }

    /// read(rows:) gives (N, C, rows, W) tensors for .npy files with N > 1 and every dtype.
    @Test(arguments: ["u1_nchw.npy", "f8_chw.npy", "numpy_f4_nchw_2x3x5x7.npy", "u2_hw.npy"])
    func npyFilesAreReadByRows(_ name: String) throws {
        let path = Fixtures.path("npy/" + name)
        let whole = try NumpyFile.read(contentsOf: AtomicFile.read(path), path: path)
        let reader = try ImageReader(path)
        #expect(reader.shape == whole.shape && reader.orientation == 1 && reader.sampleRowBytes == nil)
        var strips: [Tensor] = []
        while reader.rowsRead < reader.shape.h { strips.append(try reader.read(rows: 2)) }
        _ = try reader.finish()
        for (k, strip) in strips.enumerated() {
            #expect(strip.shape == TensorShape(n: whole.n, c: whole.c, h: min(2, whole.h - 2 * k), w: whole.w))
            for n in 0..<strip.n { for c in 0..<strip.c { for y in 0..<strip.h { for x in 0..<strip.w {
                #expect(strip[n, c, y, x] == whole[n, c, 2 * k + y, x])
            } } } }
        }
    }

    /// A (2, 3, H, W) tensor with NaN, ±0 and ±∞ written by rows in uneven strips (through both append paths)
    /// is NumPy's file byte for byte, and reads back by rows bit for bit.
    @Test func npyRoundTripsByRows() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let shape = TensorShape(n: 2, c: 3, h: 19, w: 7)
        var random = SplitMix64(seed: 13)
        let specials: [Float] = [.nan, -0.0, 0, .infinity, -.infinity, 1e-40, -3.5]
        let tensor = Tensor(shape: shape, storage: (0..<shape.count).map { i in
            i % 11 == 0 ? specials[i % specials.count] : Float(Double(random.next() % 2_000_001) / 1000 - 1000)
        })
        let path = folder.file("t.npy")
        let writer = try ImageWriter(destination: .file(path), shape: shape, source: nil)
        #expect(writer.sampleRowBytes == nil && !writer.clampsWhileConverting)
        var row = 0, step = 1, converted = false
        while row < shape.h {
            let rows = row..<min(row + step, shape.h)
            let strip = Self.rows(rows, of: tensor, margin: 1)
            if converted {
                let c = writer.convert(strip, rows: 1..<(rows.count + 1))
                #expect(c.clamped == nil)
                try writer.append(c)
            } else {
                try writer.append(strip, rows: 1..<(rows.count + 1))
            }
            converted.toggle()
            row = rows.upperBound
            step = step % 4 + 1
        }
        try writer.finish(after: .noFileBeingRead)
        #expect(try AtomicFile.read(path) == NumpyFile.encode(tensor))
        #expect(folder.contents() == ["t.npy"])

        let reader = try ImageReader(path)
        #expect(reader.shape == shape)
        let back = try Tensor(shape: shape) { out in
            while reader.rowsRead < shape.h {
                try reader.read(rows: 3, into: out.baseAddress! + reader.rowsRead * shape.w, planeStride: shape.planeSize)
            }
        }
        #expect(back.storage.map(\.bitPattern) == tensor.storage.map(\.bitPattern))
    }

    /// ImageFile.write is one ImageWriter strip for every format: the same bytes as the writer given many strips.
    @Test(arguments: ["png", "jpg", "npy", "txt", "csv"])
    func writingInStripsEqualsTheWholeWrite(_ ext: String) throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let planes = ext == "txt" || ext == "csv" ? 1 : 3
        let shape = TensorShape(n: 1, c: planes, h: 37, w: 23)
        var random = SplitMix64(seed: 7)
        let tensor = Tensor(shape: shape, storage: (0..<shape.count).map { _ in Float(random.next() % 1001) / 1000 })
        try ImageFile.write(tensor, to: folder.file("whole.\(ext)"), source: nil)
        let writer = try ImageWriter(destination: .file(folder.file("strips.\(ext)")), shape: shape, source: nil)
        for start in Swift.stride(from: 0, to: shape.h, by: 5) {
            try writer.append(Self.rows(start..<min(start + 5, shape.h), of: tensor, margin: 0))
        }
        try writer.finish(after: .noFileBeingRead)
        #expect(try AtomicFile.read(folder.file("whole.\(ext)")) == AtomicFile.read(folder.file("strips.\(ext)")))
    }

    /// A writer dropped half-way, or failing half-way (an injected encoder fault, a failed write), leaves neither
    /// the output nor its temporary file; while it writes, its temporary file is listed for the signal clean-up.
    @Test(arguments: ["png", "jpg", "npy", "txt"], ["dropped", "encode-row:9", "write-byte:40"])
    func aWriterThatStopsLeavesNothing(_ ext: String, how: String) throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let shape = TensorShape(n: 1, c: ext == "txt" ? 1 : 3, h: 40, w: 300)
        var random = SplitMix64(seed: 3)
        let tensor = Tensor(shape: shape, storage: (0..<shape.count).map { _ in Float(random.next() % 256) / 255 })
        var options = EncodeOptions()
        options.fault = WriteFault(parsing: how)
        let path = folder.file("out.\(ext)")
        do {
            let writer = try ImageWriter(destination: .file(path), shape: shape, source: nil, options: options)
            // A nameless file (O_TMPFILE) until the commit; on file systems without it, a temporary file
            // listed for the signal clean-up.
            #expect(folder.contents().allSatisfy { name in
                name.hasPrefix(".out.\(ext).tmp-") && OutputFile.inFlight.withLock { $0.contains(folder.file(name)) }
            }, "\(folder.contents())")
            do {
                for start in Swift.stride(from: 0, to: 20, by: 4) {
                    try writer.append(Self.rows(start..<(start + 4), of: tensor, margin: 0))
                }
                if how != "dropped" { try writer.append(Self.rows(20..<40, of: tensor, margin: 0)); _ = try writer.finish(after: .noFileBeingRead) }
                #expect(how == "dropped", "\(how) did not fail")
            } catch let error as ImageCodecError {
                #expect(error.reason.contains("injected fault \(how)"), "\(error)")
                // Failing removes the temporary file at once, not only when the writer goes.
                #expect(folder.contents().isEmpty, "\(folder.contents())")
            }
        }
        #expect(folder.contents().isEmpty, "\(folder.contents())")
        #expect(!OutputFile.inFlight.withLock { $0.contains { $0.hasPrefix(folder.path) } })
    }

    /// Encoders write into the temporary file as rows arrive: a byte fault early in a large PNG or JPEG stops
    /// an append, long before the file would be complete, and the bytes before it are in the temporary file.
    @Test(arguments: ["png", "jpg", "npy"])
    func bytesReachTheFileAsRowsArrive(_ ext: String) throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let shape = TensorShape(n: 1, c: 3, h: 600, w: 600)  // noise: over 250 KB however encoded
        var random = SplitMix64(seed: 5)
        let tensor = Tensor(shape: shape, storage: (0..<shape.count).map { _ in Float(random.next() % 256) / 255 })
        let writer = try ImageWriter(destination: .file(folder.file("out.\(ext)")), shape: shape, source: nil)
        var row = 0
        while row < 300 {
            try writer.append(Self.rows(row..<(row + 50), of: tensor, margin: 0))
            row += 50
        }
        // Half the rows in: most of their bytes are already in the temporary file.
        #expect(writer.bytesInFile > 100_000, "only \(writer.bytesInFile) bytes written after half the rows")
        #expect(folder.contents().allSatisfy { $0.hasPrefix(".out.\(ext).tmp-") }, "\(folder.contents())")

        var options = EncodeOptions()
        options.fault = WriteFault(.writeByte(100_000))
        let failing = try ImageWriter(destination: .file(folder.file("fail.\(ext)")), shape: shape, source: nil, options: options)
        let error = #expect(throws: ImageCodecError.self) {
            var row = 0
            while row < shape.h {
                try failing.append(Self.rows(row..<(row + 50), of: tensor, margin: 0))
                row += 50
            }
        }
        #expect(error?.reason.contains("cannot write after 100000 bytes: injected fault write-byte:100000") == true, "\(String(describing: error))")
    }

    /// EXIF and XMP written at the start give the same bytes as the old way, patching them into the finished
    /// file (JPEG APP1 after SOI and the JFIF APP0, PNG chunks after IHDR).
    @Test(arguments: ["jpeg-ii-o6.jpg", "png-mm-o5.png"], ["png", "jpg"])
    func carriedMetadataGivesTheSameBytesAsPatching(_ name: String, ext: String) throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let image = try ImageFile.read(Fixtures.path("metadata/" + name))
        var metadata = image.metadata
        metadata.orientation = 1
        try ImageFile.write(image.tensor, to: folder.file("carried.\(ext)"), source: metadata)
        var plain = metadata
        plain.embedded = EmbeddedMetadata()
        try ImageFile.write(image.tensor, to: folder.file("plain.\(ext)"), source: plain)
        var carried = metadata.embedded
        carried.exif = carried.exif.map { ExifOrientation.setting($0, to: 1) }
        let patched = Self.patched(try AtomicFile.read(folder.file("plain.\(ext)")), with: carried, jpeg: ext == "jpg")
        #expect(try AtomicFile.read(folder.file("carried.\(ext)")) == patched)
    }

    /// The reader reads the file as rows are asked for, not when it opens: a file cut short after the header was
    /// read fails as truncated (a reader that had read it whole would decode it).
    @Test(arguments: ["png", "jpg", "npy"])
    func theFileIsReadAsRowsAreAskedFor(_ ext: String) throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let shape = TensorShape(n: 1, c: 3, h: 400, w: 400)
        var random = SplitMix64(seed: 11)
        let tensor = Tensor(shape: shape, storage: (0..<shape.count).map { _ in Float(random.next() % 256) / 255 })
        let path = folder.file("in.\(ext)")
        try ImageFile.write(tensor, to: path, source: nil)
        let size = try AtomicFile.read(path).count
        let reader = try ImageReader(path)
        _ = try reader.read(rows: 8)
        #expect(truncate(path, off_t(size / 2)) == 0)
        let error = #expect(throws: ImageCodecError.self) {
            while reader.rowsRead < shape.h { _ = try reader.read(rows: 16) }
            _ = try reader.finish()
        }
        let reason = error?.reason ?? ""
        #expect(reason.contains("truncated") || reason.contains("ends early") || reason.contains("ended after"), "\(reason)")
    }

    /// Issue 12's remainder: a tiny progressive JPEG whose header declares 16000×16000 would make libjpeg hold
    /// some 770 MB of coefficients before failing; it is refused before decoding starts, saying what would be
    /// held. The same file with its real size decodes.
    @Test func aProgressiveHeaderThatLiesIsRefusedBeforeAllocating() throws {
        let original = try AtomicFile.read(Fixtures.path("jpeg/mozilla/jpg-progressive.jpg"))
        let sof = try #require((0..<(original.count - 1)).first { original[$0] == 0xFF && original[$0 + 1] == 0xC2 })
        var lying = original
        for (k, v) in [UInt8(16000 >> 8), UInt8(16000 & 0xFF), UInt8(16000 >> 8), UInt8(16000 & 0xFF)].enumerated() {
            lying[sof + 5 + k] = v  // FF C2, length (2), precision (1), then height and width
        }
        let started = ContinuousClock.now
        let error = #expect(throws: ImageCodecError.self) { try ImageFile.decode(bytes: lying, path: "lying.jpg") }
        #expect(ContinuousClock.now - started < .seconds(2))
        let reason = error?.reason ?? ""
        #expect(reason.contains("progressive (multi-scan) JPEG of 16000×16000 needs") && reason.contains("coefficient memory"), "\(reason)")
        #expect(try ImageFile.readInfo(ImageInput(bytes: lying, name: "lying.jpg")).width == 16000)  // the header alone is fine
        #expect(try ImageFile.decode(bytes: original, path: "real.jpg").tensor.h > 0)
        #expect(JPEGRowDecoder.maxCoefficientBytes(fileSize: 10) == 256 << 20)
        #expect(JPEGRowDecoder.maxCoefficientBytes(fileSize: 10 << 20) == 640 << 20)
    }

    /// Rows `rows` of `tensor` (every plane) with `margin` rows of -7 above and below.
    static func rows(_ rows: Range<Int>, of tensor: Tensor, margin: Int) -> Tensor {
        let s = tensor.shape, h = rows.count + 2 * margin
        return Tensor(shape: TensorShape(n: s.n, c: s.c, h: h, w: s.w)) { out in
            tensor.withUnsafeBufferPointer { src in
                for i in out.indices { out[i] = -7 }
                for p in 0..<s.planeCount {
                    (out.baseAddress! + p * h * s.w + margin * s.w)
                        .update(from: src.baseAddress! + p * s.planeSize + rows.lowerBound * s.w, count: rows.count * s.w)
                }
            }
        }
    }

    /// The old way of carrying metadata, kept here as the oracle: the blocks patched into a finished file.
    static func patched(_ encoded: [UInt8], with blocks: EmbeddedMetadata, jpeg: Bool) -> [UInt8] {
        var inserted: [UInt8] = []
        if jpeg {
            for (header, body) in [(EmbeddedMetadata.jpegExifHeader, blocks.exif), (EmbeddedMetadata.jpegXMPHeader, blocks.xmp)] {
                guard let body else { continue }
                let length = header.count + body.count + 2
                inserted += [0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 0xFF)] + header + body
            }
            var at = 2
            if encoded[2] == 0xFF, encoded[3] == 0xE0 { at = 4 + (Int(encoded[4]) << 8 | Int(encoded[5])) }
            return Array(encoded[..<at]) + inserted + encoded[at...]
        }
        if let exif = blocks.exif { inserted += EmbeddedMetadata.pngChunk("eXIf", exif) }
        if let xmp = blocks.xmp { inserted += EmbeddedMetadata.pngChunk("iTXt", EmbeddedMetadata.pngXMPKeyword + [0, 0, 0, 0, 0] + xmp) }
        return Array(encoded[..<33]) + inserted + encoded[33...]
    }
}
