import Foundation
import Testing
import TensorEngine
@testable import ImageFilters

/// Issue 12.20: the named filters work on every image of at least 1×1 with every kernel. Their border
/// keeps reflecting past a small image (scipy.ndimage `mirror`); `conv` and `pad` keep PyTorch's refusal.
@Suite struct SmallImageTests {
    struct Reference: Decodable {
        var kernel: String
        var weights: [Double]
        var kernelRows: Int
        var kernelColumns: Int
        var height: Int
        var width: Int
        var input: [Double]
        var output: [Double]
    }

    static let references: [Reference] = {
        let url = Bundle.module.url(forResource: "Fixtures/small_image_reference.json", withExtension: nil)!
        return try! JSONDecoder().decode([Reference].self, from: Data(contentsOf: url))
    }()

    /// Every committed scipy case (6 kernels × 9 sizes from 1×1 to 4×6), through the convolution the named
    /// filters run (same padding, reflect, unlimited reach), on each of its three paths.
    @Test func namedFilterBordersMatchScipyMirrorOnSmallImages_item20() throws {
        #expect(Self.references.count == 54)
        var paths: Set<String> = []
        for c in Self.references {
            let kernel = try Kernel(rows: c.kernelRows, columns: c.kernelColumns, values: c.weights.map(Float.init))
            let convolution = KernelConvolution(kernel: kernel, geometry: FilterGeometry())
            paths.insert(convolution.path.rawValue)
            let input = Tensor(shape: TensorShape(n: 1, c: 1, h: c.height, w: c.width), storage: c.input.map(Float.init))
            let out = try convolution.apply(input)
            #expect(out.shape == input.shape, "\(c.kernel) on \(c.height)×\(c.width)")
            let worst = zip(out.storage, c.output).map { abs(Double($0) - $1) }.max() ?? .nan
            #expect(worst < 2e-5, "\(c.kernel) on \(c.height)×\(c.width): worst difference \(worst)")
        }
        #expect(paths.count == 3)
    }

    /// The four named filters, with their defaults, on 1×1, 1×2, 2×1 and 3×2 RGB images, and a blur whose
    /// reach (σ = 100: radius 300) is far longer than a 451×300 image.
    @Test func namedFiltersRunOnTinyImages_item20() throws {
        let filters: [any ImageFilter] = [
            try BlurFilter(.gaussian(sigma: 2, radius: nil)), try SharpenFilter(.unsharpMask(sigma: 1, amount: 1, threshold: 0)),
            try EdgeFilter(), try EmbossFilter(angle: 135),
        ]
        for (h, w) in [(1, 1), (1, 2), (2, 1), (3, 2)] {
            let image = Tensor(shape: TensorShape(n: 1, c: 3, h: h, w: w), repeating: 0.25)
            for filter in filters {
                let out = try FilterRunner.run(filter, on: image).tensor
                #expect(out.h == h && out.w == w, "\(type(of: filter)) on \(h)×\(w)")
                let finite = out.storage.allSatisfy { $0.isFinite }
                #expect(finite)
            }
        }
        let photo = Tensor(shape: TensorShape(n: 1, c: 3, h: 300, w: 451), repeating: 0.5)
        let out = try FilterRunner.run(BlurFilter(.gaussian(sigma: 100, radius: nil)), on: photo).tensor
        #expect(out.shape == photo.shape)
        #expect(out.storage.allSatisfy { abs($0 - 0.5) < 1e-4 })
    }

    /// Explicit PyTorch semantics keep PyTorch's refusal: `conv` (FilterGeometry with the pytorch reach), `pad`,
    /// and the engine's own default.
    @Test func convAndPadKeepPyTorchsReflectLimit_item20() throws {
        let image = Tensor(shape: TensorShape(n: 1, c: 1, h: 2, w: 3), repeating: 1)
        let conv = KernelConvolution(kernel: try KernelLibrary.box(size: 5),
                                     geometry: FilterGeometry(padding: .explicit(Pair(2)), paddingMode: .reflect, paddingReach: .pytorch))
        #expect(throws: (any Error).self) { try conv.apply(image) }
        #expect(throws: EngineError.self) { try pad(image, padding: Padding(Pair(2)), mode: .reflect) }
        #expect(throws: EngineError.self) {
            try conv2d(image, weight: Tensor(shape: TensorShape(n: 1, c: 1, h: 5, w: 5), repeating: 1), bias: nil,
                       parameters: Conv2dParameters(padding: .explicit(Pair(2)), paddingMode: .reflect))
        }
        // The same padding with the unlimited reach reads the repeated reflection, as sourceIndex states.
        #expect((-5...7).map { sourceIndex($0, size: 3, mode: .reflect)! } == [1, 0, 1, 2, 1, 0, 1, 2, 1, 0, 1, 2, 1])
        #expect((-3...3).map { sourceIndex($0, size: 1, mode: .reflect)! } == [0, 0, 0, 0, 0, 0, 0])
    }
}
