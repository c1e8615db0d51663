import Foundation
import Testing
import ImageCodecs
import ImageFilters
import TensorEngine
@testable import ImagePipeline
import TensorTestSupport

/// The row model against its oracle, the whole-image evaluation: decode the file whole (``ImageFile/read(_:options:)``,
/// EXIF orientation applied), run each step on the whole tensor (``FilterRunner/run(_:on:options:)``), write it
/// whole. A ``FileJob`` must write the very same bytes, whatever its strip height, for every step and for random
/// pipelines, on images of every kind: heights that are not multiples of the strip, 1-row and 1-column images,
/// EXIF orientations, alpha, 16-bit, `.npy`.
@Suite struct StreamingOracleTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("ImageCodecsTests/Fixtures").path

    func temporaryFolder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("imgconv-rows-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Smooth gradients plus hash noise, so that filters produce values off the 8-bit grid, some clipped.
    static func image(channels: Int, height: Int, width: Int) -> Tensor {
        var t = Tensor(shape: TensorShape(n: 1, c: channels, h: height, w: width))
        for c in 0..<channels {
            for y in 0..<height {
                for x in 0..<width {
                    let noise = Float((x &* 73_856_093 ^ y &* 19_349_663 ^ c &* 83_492_791) & 255) / 255
                    t[0, c, y, x] = 0.6 * noise + 0.4 * Float(x + y) / Float(width + height)
                }
            }
        }
        if channels == 4 || channels == 2 {  // a transparent band and a half-transparent one
            for y in 0..<height where y % 9 < 3 { for x in 0..<width { t[0, channels - 1, y, x] = y % 9 == 0 ? 0 : 0.5 } }
        }
        return t
    }

    /// Every kind of step: named filters, strides, dilation, every padding mode, pooling of every kind, pad, normalize.
    static let steps: [@Sendable () throws -> PipelineStep] = [
        { PipelineStep(try BlurFilter(.gaussian(sigma: 1.5, radius: nil))) },
        { PipelineStep(try BlurFilter(.gaussian(sigma: 20, radius: nil))) },  // longer than small images: keeps reflecting
        { PipelineStep(try SharpenFilter(.unsharpMask(sigma: 1, amount: 2, threshold: 0))) },
        { PipelineStep(try EdgeFilter()) },
        { PipelineStep(try EdgeFilter(direction: .x), options: FilterOptions(valuePolicy: .offset(0.5))) },
        { PipelineStep(try EmbossFilter()) },
        { PipelineStep(try KernelFilter(kernel: Kernel([[1, 2, 1], [0, 1, 0], [1, 0, 1], [2, 2, 2]]), normalize: true,
                                        geometry: FilterGeometry(padding: .same, paddingMode: .replicate))) },
        { PipelineStep(try BlurFilter(.box(size: 3)), options: FilterOptions(alphaMode: .keep)) },
        // The preparation stage: gray with alpha premultiplied, gray with alpha dropped.
        { PipelineStep(try BlurFilter(.box(size: 5)), options: FilterOptions(alphaMode: .filter, gray: true)) },
        { PipelineStep(try SharpenFilter(.unsharpMask(sigma: 1, amount: 1, threshold: 0)), options: FilterOptions(alphaMode: .drop, gray: true)) },
        { PipelineStep(try BlurFilter(.box(size: 7))) },
        { PipelineStep(try BlurFilter(.box(size: 3), geometry: FilterGeometry(stride: Pair(2)))) },
        { PipelineStep(try BlurFilter(.gaussian(sigma: 1, radius: nil), geometry: FilterGeometry(stride: Pair(h: 3, w: 2), paddingMode: .zeros))) },
        { PipelineStep(try KernelFilter(kernel: Kernel([[1, 0, -1], [2, 0, -2], [1, 0, -1]]), geometry: FilterGeometry(padding: .valid),
                                        valuePolicy: .abs)) },
        { PipelineStep(try KernelFilter(kernel: Kernel([[1, 2], [3, 4]]), normalize: true,
                                        geometry: FilterGeometry(stride: Pair(2), padding: .explicit(Pair(1)), paddingMode: .symmetric, dilation: Pair(2)))) },
        { PipelineStep(try BlurFilter(.box(size: 3), geometry: FilterGeometry(paddingMode: .circular))) },
        { PipelineStep(try EdgeFilter(), options: FilterOptions(valuePolicy: .normalize)) },
        { PipelineStep(PoolFilter(.average(AvgPool2dParameters(kernel: Pair(2))))) },
        { PipelineStep(PoolFilter(.max(MaxPool2dParameters(kernel: Pair(3), stride: Pair(2))))) },
        { PipelineStep(PoolFilter(.max(MaxPool2dParameters(kernel: Pair(3), stride: Pair(2), padding: Pair(1), dilation: Pair(h: 2, w: 1), ceilMode: true)))) },
        { PipelineStep(PoolFilter(.average(AvgPool2dParameters(kernel: Pair(h: 5, w: 2), stride: Pair(h: 4, w: 2), padding: Pair(h: 2, w: 1),
                                                               ceilMode: true, countIncludePad: false)))) },
        { PipelineStep(PoolFilter(.average(AvgPool2dParameters(kernel: Pair(3), stride: Pair(1), padding: Pair(1), paddingMode: .reflect)))) },
        { PipelineStep(PoolFilter(.adaptiveAverage(outputSize: Pair(h: 7, w: 5)))) },
        { PipelineStep(PoolFilter(.adaptiveMax(outputSize: Pair(h: 3, w: 4)))) },
        { PipelineStep(try PadFilter(padding: Padding(top: 3, bottom: 1, left: 2, right: 0), mode: .reflect)) },
        { PipelineStep(try PadFilter(padding: Padding(top: 2, bottom: 5, left: 1, right: 1), mode: .constant(0.25))) },
        // Morphology and rank filters (issue 18): every operation, element shape and algorithm (direct, van Herk,
        // runs, selection network, quickselect), compositions and iterations, strides and borders.
        { PipelineStep(try MorphologyFilter(.dilate, element: StructuringElement(.square, size: Pair(5)))) },
        { PipelineStep(try MorphologyFilter(.dilate, element: StructuringElement(.square, size: Pair(51)))) },
        { PipelineStep(try MorphologyFilter(.erode, element: StructuringElement(.disk, size: Pair(7)), stride: Pair(h: 2, w: 3), paddingMode: .replicate)) },
        { PipelineStep(try MorphologyFilter(.open, element: StructuringElement(.cross, size: Pair(3)), iterations: 2)) },
        { PipelineStep(try MorphologyFilter(.close, element: StructuringElement(.square, size: Pair(h: 4, w: 6)))) },
        { PipelineStep(try MorphologyFilter(.gradient, element: StructuringElement(.disk, size: Pair(5))), options: FilterOptions(alphaMode: .filter)) },
        { PipelineStep(try MorphologyFilter(.tophat, element: StructuringElement(.square, size: Pair(15)))) },
        { PipelineStep(try MorphologyFilter(.blackhat, element: StructuringElement(rows: 3, columns: 2, mask: [true, false, false, true, true, true]),
                                            paddingMode: .reflect)) },
        { PipelineStep(try MorphologyFilter(.median, element: StructuringElement(.square, size: Pair(5)))) },
        { PipelineStep(try MorphologyFilter(.median, element: StructuringElement(.square, size: Pair(3)), iterations: 3, stride: Pair(2))) },
        { PipelineStep(try MorphologyFilter(.median, element: StructuringElement(.square, size: Pair(9)), paddingMode: .symmetric)) },
        { PipelineStep(try MorphologyFilter(.rank, element: StructuringElement(.disk, size: Pair(11)), percentile: 90)) },
        { PipelineStep(try MorphologyFilter(.rank, element: StructuringElement(.disk, size: Pair(5)), paddingMode: .circular, percentile: 25)) },
    ]

    /// The oracle: whole-image decode, each step on the whole tensor, whole-image write. Returns each step's
    /// value-policy note (`values: clamp, N of M clipped to [0, 1]`).
    @discardableResult
    func oracle(_ steps: [PipelineStep], input: String, output: String) throws -> [String] {
        let image = try ImageFile.read(input)
        let isImage = !image.metadata.format.holdsRawValues
        var tensor = image.tensor
        var valueNotes: [String] = []
        for step in steps {
            var options = step.options
            options.lastChannelIsAlpha = isImage && step.options.lastChannelIsAlpha
            let outcome = try FilterRunner.run(step.filter, on: tensor, options: options)
            tensor = outcome.tensor
            valueNotes += outcome.notes.filter { $0.hasPrefix("values:") }
        }
        var metadata = image.metadata
        metadata.orientation = 1
        try ImageFile.write(tensor, to: output, source: metadata)
        return valueNotes
    }

    /// `steps` on `input` by the oracle and by file jobs with several strip heights: the same bytes.
    func expectSameAsOracle(_ steps: [PipelineStep], input: String, format: String, in folder: String, _ context: String) throws {
        let expected = folder + "/oracle.\(format)"
        let valueNotes: [String]
        do {
            valueNotes = try oracle(steps, input: input, output: expected)
        } catch {
            // A step that refuses this input must be refused by the row model too.
            for rows in [1, 32] {
                #expect(throws: (any Error).self, "\(context): the oracle refused (\(error))") {
                    try FileJob(pipeline: Pipeline(steps), stripRows: rows).run(input: input, output: folder + "/rows.\(format)")
                }
            }
            return
        }
        let want = try AtomicFile.read(expected)
        for rows in [1, 3, 32, 1000] {
            let output = folder + "/rows\(rows).\(format)"
            let report = try FileJob(pipeline: Pipeline(steps), stripRows: rows).run(input: input, output: output)
            #expect(try AtomicFile.read(output) == want, "\(context), strips of \(rows) rows")
            // The values each step clipped, counted by the step or by the writer's conversion: the oracle's counts.
            #expect(report.notes.filter { $0.hasPrefix("values:") } == valueNotes, "\(context), strips of \(rows) rows")
        }
    }

    /// Images made here: 1, 2 (gray + alpha), 3 and 4 channels, odd sizes, thin and tiny ones.
    func madeImages(in folder: String) throws -> [String] {
        var paths: [String] = []
        for (channels, h, w) in [(1, 61, 37), (2, 23, 19), (3, 45, 50), (4, 61, 37), (3, 1, 9), (3, 9, 1), (1, 1, 1), (3, 2, 3)] {
            let path = folder + "/in-\(channels)-\(h)x\(w).png"
            try ImageFile.write(Self.image(channels: channels, height: h, width: w), to: path, source: nil)
            paths.append(path)
        }
        // Turned (PNG eXIf): 1, 2 and 4 channels through the 8-bit pixel turn (the fixtures have 3), 16-bit through
        // the Float planes; widths that are not a multiple of the turn's 32-row tiles.
        let tiff: [UInt8] = [0x4D, 0x4D, 0, 0x2A, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0]
        for (channels, h, w, orientation, depth) in [(1, 37, 61, 6, 8), (2, 19, 23, 7, 8), (4, 40, 35, 5, 8), (3, 33, 45, 8, 16)] {
            let path = folder + "/in-\(channels)-\(h)x\(w)-o\(orientation)-\(depth).png"
            let source = ImageMetadata(format: .png, width: w, height: h, channels: channels, bitDepth: depth, colorType: "",
                                       orientation: orientation, embedded: EmbeddedMetadata(exif: tiff))
            try ImageFile.write(Self.image(channels: channels, height: h, width: w), to: path, source: source,
                                options: EncodeOptions(bitDepth: depth))
            #expect(try ImageFile.readInfo(path).orientation == orientation)
            paths.append(path)
        }
        return paths
    }

    /// Files with EXIF orientations (JPEG and PNG eXIf), 16-bit PNG with and without alpha, and `.npy`.
    func fixtureImages() -> [String] {
        let f = Self.fixtures
        return (2...8).map { "\(f)/jpeg/pillow/hopper_orientation_\($0).jpg" }
            + ["\(f)/metadata/png-ii-o6.png", "\(f)/metadata/png-mm-o5.png", "\(f)/pngsuite/basn0g16.png", "\(f)/pngsuite/basn6a16.png",
               "\(f)/pngsuite/basn4a08.png", "\(f)/npy/f4_v3.npy"]
    }

    @Test(arguments: 0..<steps.count)
    func everyStepGivesTheOracleBytes(step: Int) throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let inputs = try madeImages(in: folder) + fixtureImages()
        for input in inputs {
            let format = input.hasSuffix(".npy") ? "npy" : (input.contains("-1-") ? "jpg" : "png")
            try expectSameAsOracle([try Self.steps[step]()], input: input, format: format, in: folder, "step \(step), \(input)")
        }
    }

    @Test func randomPipelinesGiveTheOracleBytes() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let inputs = try madeImages(in: folder) + fixtureImages()
        var random = SplitMix64(seed: 13)
        for trial in 0..<40 {
            let count = 2 + Int(random.next() % 3)
            let picks = (0..<count).map { _ in Int(random.next() % UInt64(Self.steps.count)) }
            let input = inputs[Int(random.next() % UInt64(inputs.count))]
            let format = input.hasSuffix(".npy") ? "npy" : ["png", "jpg"][Int(random.next() % 2)]
            try expectSameAsOracle(try picks.map { try Self.steps[$0]() }, input: input, format: format, in: folder,
                                   "trial \(trial): steps \(picks) on \(input)")
        }
    }

    @Test func aPlainConversionGivesTheOracleBytes() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for input in try madeImages(in: folder) + fixtureImages() where !input.hasSuffix(".npy") {
            for format in ["png", "jpg"] { try expectSameAsOracle([], input: input, format: format, in: folder, "convert \(input)") }
        }
    }

    @Test func aDecodeErrorInTheMiddleLeavesNoOutput() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try ImageFile.write(Self.image(channels: 3, height: 200, width: 64), to: folder + "/in.jpg", source: nil)
        var bytes = try AtomicFile.read(folder + "/in.jpg")
        bytes.removeLast(bytes.count / 2)
        try AtomicFile.write(bytes, to: folder + "/cut.jpg")
        for rows in [8, 32] {
            let job = FileJob(pipeline: Pipeline([PipelineStep(try BlurFilter(.box(size: 3)))]), stripRows: rows)
            #expect(throws: ImageCodecError.self) { try job.run(input: folder + "/cut.jpg", output: folder + "/out.png") }
            let names = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
            #expect(names == ["cut.jpg", "in.jpg"], "no output and no temporary file")
        }
    }

    @Test func verbosePrintsThePlanWithItsBarriers() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let input = folder + "/in.png"
        try ImageFile.write(Self.image(channels: 3, height: 100, width: 80), to: input, source: nil)
        let streamed = try FileJob(pipeline: Pipeline([PipelineStep(try BlurFilter(.gaussian(sigma: 2, radius: nil))), PipelineStep(try EdgeFilter())]))
            .run(input: input, output: folder + "/a.png")
        #expect(streamed.notes[0].hasPrefix("plan: decode 80×100×3 → step 1: blur"), "\(streamed.notes)")
        #expect(streamed.notes[1].contains("strips of 32 rows") && streamed.notes[1].contains("no barrier"), "\(streamed.notes)")
        let normalized = try FileJob(pipeline: Pipeline([PipelineStep(try EdgeFilter(), options: FilterOptions(valuePolicy: .normalize))]))
            .run(input: input, output: folder + "/b.png")
        #expect(normalized.notes[1].contains("step 1 (normalize) holds its whole output"), "\(normalized.notes)")
        let turned = try FileJob(pipeline: Pipeline([])).run(input: Self.fixtures + "/jpeg/pillow/hopper_orientation_6.jpg", output: folder + "/c.png")
        #expect(turned.notes[1].contains("the EXIF orientation holds the decoded picture (8-bit samples"), "\(turned.notes)")
    }
}

/// The two-reader decode of a turned picture (``HeldPicture``) rests on one property: rows read after
/// ``ImageReader/skip(rows:)`` are the rows a reader that decoded everything makes. Checked on every EXIF
/// fixture, the bundled photo and (when present) the team's 12-megapixel photo, at the meeting rows the
/// decode uses and at a row that is not a multiple of the 16-row iMCU.
@Suite struct SkippedRowsTests {
    static let files: [String] = {
        let f = StreamingOracleTests.fixtures
        var files = (1...8).map { $0 == 1 ? "\(f)/jpeg/pillow/hopper.jpg" : "\(f)/jpeg/pillow/hopper_orientation_\($0).jpg" }
        files.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../samples/skimage_rocket.jpg").standardized.path)
        let bus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../shared/testdata/photos/012mp-bus.jpg").standardized.path
        if FileManager.default.fileExists(atPath: bus) { files.append(bus) }
        return files
    }()

    @Test(arguments: files)
    func rowsAfterASkipAreTheDecodedRows(_ path: String) throws {
        let whole = try ImageReader(path)
        let h = whole.shape.h
        let all = try whole.read(rows: h)
        for skip in [HeldPicture.meetingRow(height: h), h / 2 / 64 * 64, 37].filter({ $0 > 0 && $0 < h }) {
            let reader = try ImageReader(path)
            #expect(try reader.skip(rows: skip), "a baseline JPEG skips under libjpeg-turbo")
            let rest = try reader.read(rows: h - skip)
            _ = try reader.finish()
            let expected = all.withUnsafeBufferPointer { a in
                Tensor(shape: rest.shape) { out in
                    for p in 0..<all.shape.planeCount {
                        for i in 0..<((h - skip) * all.w) { out[p * (h - skip) * all.w + i] = a[p * h * all.w + skip * all.w + i] }
                    }
                }
            }
            #expect(rest == expected, "\(path): rows after skipping \(skip)")
        }
    }
}

/// `maxpool --indices` streams (``MaxPoolIndicesJob``): its two files are, byte for byte, what the whole-image
/// `maxPool2d` with `returnIndices` gives, at every strip height, for window and adaptive pooling, with padding,
/// dilation and ceil mode, on turned, 16-bit, alpha and tensor inputs.
@Suite struct StreamedIndicesTests {
    static let poolings: [(String, MaxPool2dParameters?, Pair?)] = [
        ("k3 s2 p1 ceil", MaxPool2dParameters(kernel: Pair(3), stride: Pair(2), padding: Pair(1), ceilMode: true), nil),
        ("k2 d2", MaxPool2dParameters(kernel: Pair(2), dilation: Pair(2)), nil),
        ("k(3,2) s(1,3) replicate", MaxPool2dParameters(kernel: Pair(h: 3, w: 2), stride: Pair(h: 1, w: 3), padding: Pair(1), paddingMode: .replicate), nil),
        ("adaptive 5×7", nil, Pair(h: 5, w: 7)),
    ]

    @Test(arguments: StreamingOracleTests().fixtureImages())
    func indicesFilesAreTheWholeImageIndices(_ input: String) throws {
        let folder = try StreamingOracleTests().temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let image = try ImageFile.read(input).tensor
        for (name, parameters, adaptive) in Self.poolings {
            let whole: MaxPoolResult
            do {
                if var p = parameters {
                    p.returnIndices = true
                    whole = try maxPool2d(image, parameters: p)
                } else {
                    whole = try adaptiveMaxPool2d(image, outputSize: adaptive!, returnIndices: true)
                }
            } catch {
                // Refused whole (an image smaller than the window): refused streamed too, and nothing written.
                let job = MaxPoolIndicesJob(parameters: parameters, adaptiveOutputSize: adaptive, decodeOptions: DecodeOptions(), encodeOptions: EncodeOptions())
                #expect(throws: PipelineError.self) { _ = try job.run(input: input, output: folder + "/r.npy", indicesOutput: folder + "/ri.npy") }
                #expect(try FileManager.default.contentsOfDirectory(atPath: folder).allSatisfy { !$0.hasPrefix("r") && !$0.hasPrefix(".") })
                continue
            }
            let expectedIndices = NumpyFile.encode(int64: whole.indices!, shape: whole.output.shape)
            for strip in [1, 3, 32] {
                var job = MaxPoolIndicesJob(parameters: parameters, adaptiveOutputSize: adaptive, decodeOptions: DecodeOptions(), encodeOptions: EncodeOptions())
                job.stripRows = strip
                let out = folder + "/o\(strip).npy", idx = folder + "/i\(strip).npy"
                _ = try job.run(input: input, output: out, indicesOutput: idx)
                #expect(try ImageFile.read(out).tensor == whole.output, "\(input) \(name) strip \(strip): output")
                #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: idx))) == expectedIndices, "\(input) \(name) strip \(strip): indices")
            }
        }
    }

    /// A JPEG whose scan is followed by a second SOI fails only at its end check, after every row was written:
    /// neither the image nor the indices may then be named, and no temporary file stays.
    @Test func aLateDecodeErrorNamesNeitherFile() throws {
        let folder = try StreamingOracleTests().temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: StreamingOracleTests.fixtures + "/jpeg/pillow/hopper_orientation_6.jpg")))
        bytes = Array(bytes.dropLast(2)) + [0xFF, 0xD8, 0xFF, 0xD9]
        let input = folder + "/late.jpg"
        try Data(bytes).write(to: URL(fileURLWithPath: input))
        let job = MaxPoolIndicesJob(parameters: MaxPool2dParameters(kernel: Pair(2)), adaptiveOutputSize: nil,
                                    decodeOptions: DecodeOptions(), encodeOptions: EncodeOptions())
        #expect(throws: ImageCodecError.self) { _ = try job.run(input: input, output: folder + "/o.png", indicesOutput: folder + "/i.npy") }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["late.jpg"])
    }
}
