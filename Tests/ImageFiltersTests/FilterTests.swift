import Testing
import TensorEngine
import TensorTestSupport
@testable import ImageFilters

/// Deterministic pseudo-random values in [0, 1) (a 64-bit LCG), so failures reproduce.
func randomTensor(_ shape: TensorShape, seed: UInt64 = 1) -> Tensor {
    var state = seed
    return Tensor(shape: shape, storage: (0..<shape.count).map { _ in
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Float(state >> 40) / Float(1 << 24)
    })
}

@Suite struct FilterTests {
    let photo = randomTensor(TensorShape(n: 1, c: 3, h: 23, w: 31))

    @Test(arguments: [Float(0.8), 2, 5])
    func gaussianBlurOfAConstantIsThatConstantBordersIncluded(sigma: Float) throws {
        let flat = Tensor(shape: TensorShape(n: 1, c: 3, h: 20, w: 17), repeating: 0.37)
        let out = try FilterRunner.run(BlurFilter(.gaussian(sigma: sigma, radius: nil)), on: flat).tensor
        #expect(out.shape == flat.shape)
        expectClose(out, flat, "flat", tolerance: 1e-5)
    }

    @Test func blurEqualsTheEngineWithTheSameKernel() throws {
        let filter = try BlurFilter(.gaussian(sigma: 1.5, radius: nil))
        #expect(filter.convolution.path == .separable)
        let kernel = try KernelLibrary.gaussian(sigma: 1.5)
        let engine = try conv2d(photo, weight: kernel.depthwiseWeight(channels: 3), bias: nil,
                                parameters: Conv2dParameters(padding: .same, groups: 3, paddingMode: .reflect))
        expectClose(try FilterRunner.run(filter, on: photo).tensor, engine, "engine", tolerance: 1e-5)
    }

    @Test func separableAndDirectPathsAgreeWithStrideAndDilation() throws {
        let kernel = try KernelLibrary.gaussian(sigma: 1)
        for geometry in [FilterGeometry(stride: Pair(h: 2, w: 3)), FilterGeometry(dilation: Pair(2)),
                         FilterGeometry(stride: Pair(2), padding: .explicit(Pair(h: 1, w: 2)), paddingMode: .circular)] {
            let separable = KernelConvolution(kernel: kernel, geometry: geometry)
            #expect(separable.path == .separable)
            let padding = try geometry.resolvedPadding(kernelSize: Pair(kernel.rows))
            let padded = try pad(photo, padding: padding, mode: geometry.paddingMode)
            let direct = try conv2d(padded, weight: kernel.depthwiseWeight(channels: 3), bias: nil,
                                    parameters: Conv2dParameters(stride: geometry.stride, dilation: geometry.dilation, groups: 3))
            expectClose(try separable.apply(photo), direct, "direct", tolerance: 1e-5)
        }
    }

    @Test func stridedSameKeepsCeilOfSizeOverStride() throws {
        let out = try FilterRunner.run(BlurFilter(.box(size: 4), geometry: FilterGeometry(stride: Pair(2))), on: photo).tensor
        #expect(out.shape == TensorShape(n: 1, c: 3, h: 12, w: 16))
    }

    @Test func sharpenWithoutThresholdIsOneKernel() throws {
        let amount: Float = 0.7
        let filter = try SharpenFilter(.unsharpMask(sigma: 1, amount: amount, threshold: 0))
        let g = try KernelLibrary.gaussian(sigma: 1)
        var values = g.values.map { -amount * $0 }
        values[values.count / 2] += 1 + amount
        let kernel = try Kernel(rows: g.rows, columns: g.columns, values: values)
        let engine = try conv2d(photo, weight: kernel.depthwiseWeight(channels: 3), bias: nil,
                                parameters: Conv2dParameters(padding: .same, groups: 3, paddingMode: .reflect))
        var expected = engine
        ValuePolicy.clamp.apply(to: &expected)
        expectClose(try FilterRunner.run(filter, on: photo).tensor, expected, "expected", tolerance: 1e-5)
    }

    /// out = x + amount·d where |d| = |x − G⋆x| ≥ threshold, else x. The threshold is chosen so that some
    /// differences are below it and some above: doing nothing, or ignoring the threshold, both fail.
    @Test func sharpenThresholdLeavesOnlySmallDifferencesAlone() throws {
        let threshold: Float = 0.1
        let blurred = try FilterRunner.run(BlurFilter(.gaussian(sigma: 1, radius: nil)), on: photo).tensor
        var expected = photo.storage
        var kept = 0, sharpened = 0
        for i in expected.indices {
            let d = photo.storage[i] - blurred.storage[i]
            if abs(d) >= threshold { expected[i] += 2 * d; sharpened += 1 } else if d != 0 { kept += 1 }
        }
        #expect(kept > 100 && sharpened > 100, "the threshold must split the differences: \(kept) below, \(sharpened) above")
        var expectedTensor = Tensor(shape: photo.shape, storage: expected)
        ValuePolicy.clamp.apply(to: &expectedTensor)
        let out = try FilterRunner.run(SharpenFilter(.unsharpMask(sigma: 1, amount: 2, threshold: threshold)), on: photo).tensor
        expectClose(out, expectedTensor, "sharpen with threshold \(threshold)", tolerance: 1e-5)
    }

    @Test func sobelMagnitudeIsTheEngineOnLuminance() throws {
        let out = try FilterRunner.run(EdgeFilter(), on: photo, options: FilterOptions(valuePolicy: .normalize)).tensor
        #expect(out.shape == TensorShape(n: 1, c: 1, h: 23, w: 31))
        let luma = Luminance.of(photo)
        let p = Conv2dParameters(padding: .same, paddingMode: .reflect)
        let gx = try conv2d(luma, weight: KernelLibrary.EdgeOperator.sobel.xKernel.depthwiseWeight(channels: 1), bias: nil, parameters: p)
        let gy = try conv2d(luma, weight: KernelLibrary.EdgeOperator.sobel.yKernel.depthwiseWeight(channels: 1), bias: nil, parameters: p)
        var magnitude = Tensor(shape: gx.shape, storage: zip(gx.storage, gy.storage).map { ($0 * $0 + $1 * $1).squareRoot() })
        ValuePolicy.normalize.apply(to: &magnitude)
        expectClose(out, magnitude, "magnitude", tolerance: 1e-5)
    }

    @Test func edgeOfAVerticalStepIsOnlyInX() throws {
        var step = Tensor(shape: TensorShape(n: 1, c: 1, h: 6, w: 6))
        for y in 0..<6 { for x in 3..<6 { step[0, 0, y, x] = 1 } }
        let ex = try FilterRunner.run(EdgeFilter(direction: .x), on: step).tensor
        let ey = try FilterRunner.run(EdgeFilter(direction: .y), on: step).tensor
        #expect(ex[0, 0, 2, 2] == 1 && ex[0, 0, 2, 3] == 1 && ex[0, 0, 2, 0] == 0)
        #expect(ey.storage.allSatisfy { $0 == 0 })
    }

    @Test func embossOfAConstantIsThatConstant() throws {
        let flat = Tensor(shape: TensorShape(n: 1, c: 1, h: 5, w: 5), repeating: 0.5)
        expectClose(try FilterRunner.run(EmbossFilter(), on: flat).tensor, flat, "flat", tolerance: 1e-6)
    }

    @Test func identityIsLossless() throws {
        let filter = try KernelFilter(kernel: KernelLibrary.identity, name: "identity", geometry: FilterGeometry())
        #expect(try FilterRunner.run(filter, on: photo).tensor == photo)
    }

    @Test func premultipliedBlurLeavesNoFringe() throws {
        // Opaque red square on a fully transparent black background.
        var rgba = Tensor(shape: TensorShape(n: 1, c: 4, h: 16, w: 16))
        for y in 4..<12 { for x in 4..<12 { rgba[0, 0, y, x] = 1; rgba[0, 3, y, x] = 1 } }
        let out = try FilterRunner.run(BlurFilter(.gaussian(sigma: 2, radius: nil)), on: rgba).tensor
        #expect(out.shape == rgba.shape)
        for y in 0..<16 {
            for x in 0..<16 where out[0, 3, y, x] > 0.001 {
                // Wherever anything is visible it is pure red: no darkening from the transparent black.
                #expect(abs(out[0, 0, y, x] - 1) < 1e-4, "pixel \(y),\(x)")
                #expect(out[0, 1, y, x] == 0 && out[0, 2, y, x] == 0)
            }
        }
        #expect(out[0, 3, 8, 3] > 0 && out[0, 3, 8, 3] < 1, "alpha itself is blurred")
        // Without premultiplication the edge darkens: the fringe this mode prevents.
        let straight = try FilterRunner.run(BlurFilter(.gaussian(sigma: 2, radius: nil)), on: rgba, options: FilterOptions(alphaMode: .keep)).tensor
        #expect(straight[0, 0, 8, 4] < 0.9)
        #expect(straight[0, 3, 8, 3] == 0, "kept alpha is only resampled")
    }

    @Test func alphaFollowsTheGeometry() throws {
        let rgba = randomTensor(TensorShape(n: 1, c: 4, h: 9, w: 10))
        let geometry = FilterGeometry(stride: Pair(2))
        for mode in AlphaMode.allCases {
            let out = try FilterRunner.run(EdgeFilter(geometry: geometry), on: rgba, options: FilterOptions(alphaMode: mode)).tensor
            #expect(out.shape == TensorShape(n: 1, c: mode == .drop ? 1 : 2, h: 5, w: 5))
        }
        let pooled = try FilterRunner.run(PoolFilter(.max(MaxPool2dParameters(kernel: Pair(2)))), on: rgba).tensor
        #expect(pooled.shape == TensorShape(n: 1, c: 4, h: 4, w: 5))
    }

    /// Each primary alone gives its own weight, and a mixed pixel the weighted sum: every weight is checked.
    @Test func grayConvertsWithBT601Weights() throws {
        let r: [Float] = [1, 0, 0, 0.2], g: [Float] = [0, 1, 0, 0.6], b: [Float] = [0, 0, 1, 0.9]
        let rgb = Tensor(shape: TensorShape(n: 1, c: 3, h: 1, w: 4), storage: r + g + b)
        let out = try FilterRunner.run(KernelFilter(kernel: KernelLibrary.identity, geometry: FilterGeometry()), on: rgb,
                                       options: FilterOptions(gray: true)).tensor
        #expect(out.shape == TensorShape(n: 1, c: 1, h: 1, w: 4))
        expectClose(out.storage, [0.299, 0.587, 0.114, 0.299 * 0.2 + 0.587 * 0.6 + 0.114 * 0.9], "BT.601 gray", tolerance: 1e-6)
    }

    @Test func valuePolicies() {
        var t = Tensor(shape: TensorShape(n: 1, c: 1, h: 1, w: 4), storage: [-0.5, 0.25, 1.5, .nan])
        var a = t, o = t, n = t
        #expect(ValuePolicy.clamp.apply(to: &t) == 3)
        #expect(t.storage == [0, 0.25, 1, 0])
        ValuePolicy.abs.apply(to: &a)
        #expect(a.storage == [0.5, 0.25, 1, 0])
        ValuePolicy.offset(0.5).apply(to: &o)
        #expect(o.storage == [0, 0.75, 1, 0])
        ValuePolicy.normalize.apply(to: &n)
        #expect(n.storage == [0, 0.375, 1, 0])
    }

    @Test func userKernelConveniences() throws {
        let k = try Kernel([[1, 2, 1]])
        #expect(try KernelFilter(kernel: k, normalize: true, geometry: FilterGeometry()).convolution.kernel.values == [0.25, 0.5, 0.25])
        #expect(try KernelFilter(kernel: k, divisor: 2, geometry: FilterGeometry()).convolution.kernel.values == [0.5, 1, 0.5])
        #expect(try KernelFilter(kernel: try Kernel([[1, 2, 3]]), flip: true, geometry: FilterGeometry()).convolution.kernel.values == [3, 2, 1])
        #expect(throws: FilterError.self) { try KernelFilter(kernel: KernelLibrary.EdgeOperator.sobel.xKernel, normalize: true, geometry: FilterGeometry()) }
        #expect(throws: FilterError.self) { try KernelFilter(kernel: k, divisor: 0, geometry: FilterGeometry()) }
    }

    /// A 7×7 window without padding does not fit a 3×3 image: the message must name both sizes.
    @Test func geometryThatDoesNotFitIsAClearError() throws {
        let tiny = Tensor(shape: TensorShape(n: 1, c: 1, h: 3, w: 3))
        let noPadding = FilterGeometry(padding: .explicit(Pair(0)), paddingMode: .zeros)
        let error = #expect(throws: (any Error).self) { try FilterRunner.run(BlurFilter(.box(size: 7), geometry: noPadding), on: tiny) }
        let message = String(describing: error!)
        #expect(message == "a 7×7 kernel with dilation 1 does not fit in a 3×3 image padded by 0")
        #expect(try FilterRunner.run(BlurFilter(.box(size: 7)), on: tiny).tensor.shape == tiny.shape, "the default same/reflect border fits")
    }
}
