import Foundation
import Testing
import ImageCodecs
import ImageFilters
import TensorEngine
@testable import ImagePipeline

/// Striped runs (decoder, filter and encoder threads over horizontal strips) must write exactly the bytes
/// and notes of whole-image runs.
@Suite struct StripedRunTests {
    func temporaryFolder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("imgconv-strips-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Smooth gradients plus hash noise, so that filters produce values off the 8-bit grid, some clipped.
    func image(channels: Int, height: Int, width: Int) -> Tensor {
        var t = Tensor(shape: TensorShape(n: 1, c: channels, h: height, w: width))
        for c in 0..<channels {
            for y in 0..<height {
                for x in 0..<width {
                    let noise = Float((x &* 73_856_093 ^ y &* 19_349_663 ^ c &* 83_492_791) & 255) / 255
                    t[0, c, y, x] = 0.6 * noise + 0.4 * Float(x + y) / Float(width + height)
                }
            }
        }
        if channels == 4 {  // a transparent band and a half-transparent one
            for y in 10..<20 { for x in 0..<width { t[0, 3, y, x] = 0 } }
            for y in 40..<45 { for x in 0..<width { t[0, 3, y, x] = 0.5 } }
        }
        return t
    }

    static let steps: [@Sendable () throws -> [PipelineStep]] = [
        { [] },  // convert
        { [PipelineStep(try BlurFilter(.gaussian(sigma: 1.5, radius: nil)))] },
        { [PipelineStep(try SharpenFilter(.unsharpMask(sigma: 1, amount: 2, threshold: 0)))] },
        { [PipelineStep(try EdgeFilter())] },
        { [PipelineStep(try EdgeFilter(direction: .x), options: FilterOptions(valuePolicy: .offset(0.5)))] },
        { [PipelineStep(try KernelFilter(kernel: Kernel([[1, 2, 1], [0, 1, 0], [1, 0, 1], [2, 2, 2]]), normalize: true,
                                         geometry: FilterGeometry(padding: .same, paddingMode: .replicate)))] },
        { [PipelineStep(try BlurFilter(.box(size: 3)), options: FilterOptions(alphaMode: .keep))] },
        { [PipelineStep(PoolFilter(.average(AvgPool2dParameters(kernel: Pair(2)))))] },
        { [PipelineStep(PoolFilter(.max(MaxPool2dParameters(kernel: Pair(3), stride: Pair(2)))))] },
        { [PipelineStep(PoolFilter(.average(AvgPool2dParameters(kernel: Pair(h: 5, w: 2), stride: Pair(h: 4, w: 2)))))] },
    ]

    @Test(arguments: 0..<steps.count, ["png", "jpg"])
    func stripsWriteTheSameFileAsAWholeRun(step: Int, format: String) throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for channels in [1, 3, 4] {
            let input = folder + "/in\(channels).png"
            try ImageFile.write(image(channels: channels, height: 61, width: 37), to: input, source: nil)
            let pipeline = Pipeline(try Self.steps[step]())
            let whole = FileJob(pipeline: pipeline, strips: nil)
            let striped = FileJob(pipeline: pipeline, strips: StripPlan(rows: 5, marginFactor: 1))
            #expect(striped.stripReach() != nil)
            let a = try whole.run(input: input, output: folder + "/whole.\(format)")
            let b = try striped.run(input: input, output: folder + "/strips.\(format)")
            #expect(a.notes == b.notes)
            #expect(a.warnings.map { $0.replacingOccurrences(of: "whole", with: "strips") } == b.warnings)
            #expect(a.outputShape == b.outputShape)
            let wholeBytes = try AtomicFile.read(folder + "/whole.\(format)")
            let stripBytes = try AtomicFile.read(folder + "/strips.\(format)")
            #expect(wholeBytes == stripBytes, "step \(step), \(channels) channels, \(format)")
        }
    }

    @Test func jobsThatAreNotRowLocalRunWhole() throws {
        let adaptive = FileJob(pipeline: Pipeline([PipelineStep(PoolFilter(.adaptiveAverage(outputSize: Pair(7))))]))
        #expect(adaptive.stripReach() == nil)
        let ceil = FileJob(pipeline: Pipeline([PipelineStep(PoolFilter(.max(MaxPool2dParameters(kernel: Pair(2), ceilMode: true))))]))
        #expect(ceil.stripReach() == nil)
        let normalized = FileJob(pipeline: Pipeline([PipelineStep(try EdgeFilter(), options: FilterOptions(valuePolicy: .normalize))]))
        #expect(normalized.stripReach() == nil)
        let circular = FileJob(pipeline: Pipeline([PipelineStep(try BlurFilter(.box(size: 3), geometry: FilterGeometry(paddingMode: .circular)))]))
        #expect(circular.stripReach() == nil)
        let two = FileJob(pipeline: Pipeline([PipelineStep(try BlurFilter(.box(size: 3))), PipelineStep(try EdgeFilter())]))
        #expect(two.stripReach() == nil)
        let strided = FileJob(pipeline: Pipeline([PipelineStep(try BlurFilter(.box(size: 3), geometry: FilterGeometry(stride: Pair(2))))]))
        #expect(strided.stripReach() == nil)
    }

    @Test func reachFollowsTheKernelAndPadding() throws {
        let tall = try KernelFilter(kernel: Kernel([[1], [1], [1], [1]]), geometry: FilterGeometry())
        #expect(tall.rowReach == RowReach(above: 1, below: 2))  // same padding: ⌊3/2⌋ above, the rest below
        let dilated = try BlurFilter(.box(size: 3), geometry: FilterGeometry(dilation: Pair(2)))
        #expect(dilated.rowReach == RowReach(above: 2, below: 2))
        let valid = try BlurFilter(.box(size: 3), geometry: FilterGeometry(padding: .valid))
        #expect(valid.rowReach == nil)  // the output is shorter than the input
        #expect(StripPlan(rows: 64, marginFactor: 16).rows(for: RowReach(above: 6, below: 6)) == 192)
        #expect(StripPlan(rows: 32, marginFactor: 8).rows(for: RowReach(above: 30, below: 30), filtersMargins: false) == 60)
        #expect(StripPlan().rows(for: RowReach(above: 6, below: 6), filtersMargins: false) == 32)
        let pool = PoolFilter(.max(MaxPool2dParameters(kernel: Pair(3), stride: Pair(2))))
        #expect(pool.rowReach == RowReach(above: 0, below: 2, stride: 2))
        #expect(StripPlan(rows: 5, marginFactor: 1).rows(for: RowReach(above: 0, below: 2, stride: 2)) == 6)
    }

    @Test func aDecodeErrorInTheMiddleLeavesNoOutput() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try ImageFile.write(image(channels: 3, height: 200, width: 64), to: folder + "/in.jpg", source: nil)
        var bytes = try AtomicFile.read(folder + "/in.jpg")
        bytes.removeLast(bytes.count / 2)
        try AtomicFile.write(bytes, to: folder + "/cut.jpg")
        let job = FileJob(pipeline: Pipeline([PipelineStep(try BlurFilter(.box(size: 3)))]), strips: StripPlan(rows: 8, marginFactor: 1))
        #expect(throws: ImageCodecError.self) { try job.run(input: folder + "/cut.jpg", output: folder + "/out.png") }
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        #expect(names == ["cut.jpg", "in.jpg"], "no output and no temporary file")
    }
}
