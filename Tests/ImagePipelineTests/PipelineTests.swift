import Foundation
import Testing
import ImageCodecs
import ImageFilters
import TensorEngine
@testable import ImagePipeline

@Suite struct PipelineTests {
    func temporaryFolder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("imgconv-pipeline-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func stepsAreValidatedBeforeAnyPixelIsTouched() throws {
        let pipeline = Pipeline([
            PipelineStep(try BlurFilter(.gaussian(sigma: 1, radius: nil))),
            PipelineStep(PoolFilter(.max(MaxPool2dParameters(kernel: Pair(4))))),
            PipelineStep(try BlurFilter(.box(size: 9), geometry: FilterGeometry(padding: .valid))),
        ])
        let error = #expect(throws: PipelineError.self) {
            try pipeline.validate(inputShape: TensorShape(n: 1, c: 3, h: 20, w: 20), lastChannelIsAlpha: true)
        }
        #expect(error?.description.hasPrefix("step 3 (blur: box 9×9") == true, "\(error?.description ?? "")")
        #expect(try pipeline.validate(inputShape: TensorShape(n: 1, c: 4, h: 64, w: 64), lastChannelIsAlpha: true)
                == TensorShape(n: 1, c: 4, h: 8, w: 8))
    }

    @Test func grayAndEdgeChangeTheChannelCount() throws {
        let pipeline = Pipeline([PipelineStep(try EdgeFilter()), PipelineStep(PoolFilter(.average(AvgPool2dParameters(kernel: Pair(2)))))])
        #expect(try pipeline.validate(inputShape: TensorShape(n: 1, c: 4, h: 10, w: 10), lastChannelIsAlpha: true)
                == TensorShape(n: 1, c: 2, h: 5, w: 5))
    }

    @Test func fileJobWritesAtomicallyAndRefusesItsOwnInput() throws {
        let folder = try temporaryFolder()
        var image = Tensor(shape: TensorShape(n: 1, c: 3, h: 8, w: 8), repeating: 0.5)
        image[0, 0, 3, 3] = 1
        let input = folder + "/in.png"
        try ImageFile.write(image, to: input, source: nil)
        let job = FileJob(pipeline: Pipeline([PipelineStep(try BlurFilter(.box(size: 3)))]))
        let report = try job.run(input: input, output: folder + "/out.png")
        #expect(report.outputShape == image.shape)
        let out = try ImageFile.read(folder + "/out.png").tensor
        #expect(abs(out[0, 0, 3, 3] - (8 * 0.5 + 1) / 9) < 1 / 255)
        #expect(throws: ImageCodecError.self) { try job.run(input: input, output: input) }
        #expect(throws: ImageCodecError.self) { try job.run(input: input, output: folder + "/out.gif") }
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        #expect(names == ["in.png", "out.png"], "no temporary file left")
    }

    @Test func filterErrorsNameTheInput() throws {
        let folder = try temporaryFolder()
        try ImageFile.write(Tensor(shape: TensorShape(n: 1, c: 1, h: 4, w: 4)), to: folder + "/tiny.png", source: nil)
        let job = FileJob(pipeline: Pipeline([PipelineStep(try BlurFilter(.box(size: 9), geometry: FilterGeometry(padding: .valid)))]))
        let error = #expect(throws: PipelineError.self) { try job.run(input: folder + "/tiny.png", output: folder + "/o.png") }
        #expect(error?.description.hasPrefix(folder + "/tiny.png: ") == true)
        #expect(!FileManager.default.fileExists(atPath: folder + "/o.png"))
    }
}
