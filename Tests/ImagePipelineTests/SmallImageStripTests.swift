import Foundation
import Testing
import ImageCodecs
import ImageFilters
import TensorEngine
@testable import ImagePipeline

/// Issue 12.20 through the file path: a named filter whose reach is longer than the image (its border keeps
/// reflecting) writes the same bytes in strips as on the whole image, for tiny and thin images.
@Suite struct SmallImageStripTests {
    static let filters: [@Sendable () throws -> any ImageFilter] = [
        { try BlurFilter(.gaussian(sigma: 20, radius: nil)) },  // radius 60
        { try BlurFilter(.box(size: 9)) },
        { try SharpenFilter(.unsharpMask(sigma: 3, amount: 2, threshold: 0)) },
        { try EdgeFilter() },
        { try EmbossFilter() },
        { try KernelFilter(kernel: Kernel(rows: 11, columns: 1, values: (0..<11).map { Float($0 % 4) - 1.2 }), geometry: FilterGeometry()) },
    ]

    @Test(arguments: 0..<filters.count)
    func tinyAndThinImagesGiveTheSameBytesInStrips_item20(filter: Int) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("imgconv-small-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for (h, w) in [(1, 1), (1, 2), (2, 1), (3, 2), (2, 3), (70, 3), (3, 70), (130, 5)] {
            let image = Tensor(shape: TensorShape(n: 1, c: 3, h: h, w: w), storage: (0..<3 * h * w).map { Float(($0 &* 2_654_435_761) % 251) / 251 })
            let input = folder + "/in\(h)x\(w).png"
            try ImageFile.write(image, to: input, source: nil)
            let pipeline = Pipeline([PipelineStep(try Self.filters[filter]())])
            let whole = try FileJob(pipeline: pipeline, strips: nil).run(input: input, output: folder + "/whole.png")
            let stripJob = FileJob(pipeline: pipeline, strips: StripPlan(rows: 4, marginFactor: 1))
            #expect(stripJob.stripReach() != nil, "the striped path is taken")
            let striped = try stripJob.run(input: input, output: folder + "/strips.png")
            #expect(whole.outputShape.h == h && whole.outputShape.w == w)
            #expect(whole.outputShape == striped.outputShape)
            #expect(try AtomicFile.read(folder + "/whole.png") == AtomicFile.read(folder + "/strips.png"), "filter \(filter), \(h)×\(w)")
        }
    }
}
