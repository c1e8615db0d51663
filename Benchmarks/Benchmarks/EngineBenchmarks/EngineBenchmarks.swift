import Benchmark
import ImageFilters
import TensorEngine

#if canImport(Glibc)
import Glibc
#endif

// The engine at the memory limit. Every figure is meant to be read against a reference measured in the
// same run: the convolutions of a 1×3×4000×3000 image against a plain copy of that image into a new tensor
// (the memory roofline: the same bytes in and out, the same fresh allocation), Gaussian separable against
// Gaussian direct 2-D on the same image, boxes of several sizes against each other. `Benchmarks/run`
// prints the ratios, and times vips and PyTorch beside the engine for the cases compared with them.

/// Deterministic pseudo-random samples in [0, 1), without Foundation.
func pattern(_ shape: TensorShape, seed: UInt32 = 1) -> Tensor {
    var state = seed
    return Tensor(shape: shape) { buffer in
        for i in 0..<buffer.count {
            state = state &* 1_664_525 &+ 1_013_904_223
            buffer[i] = Float(state >> 8) / Float(1 << 24)
        }
    }
}

let photo = TensorShape(n: 1, c: 3, h: 3000, w: 4000)

let benchmarks: @Sendable () -> Void = {
    // The vector level every kernel below runs at (IMGCONV_CPU=sse2|avx2|avx512 asks for a narrower one);
    // Benchmarks/run prints it beside the ratios.
    print("vector level: \(VectorLevel.current)")
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .peakMemoryResidentDelta, .mallocCountLarge],
                                           warmupIterations: 1, maxDuration: .seconds(4), maxIterations: 20)

    let image = pattern(photo)
    let imageBytes = photo.count * MemoryLayout<Float>.size

    // The roofline: read the image and write it to a new tensor, as every operation below does.
    Benchmark("copy 1x3x4000x3000", configuration: .init(scalingFactor: .one)) { benchmark in
        for _ in benchmark.scaledIterations {
            let copy = image.withUnsafeBufferPointer { source in
                Tensor(shape: photo) { $0.baseAddress!.update(from: source.baseAddress!, count: source.count) }
            }
            blackHole(copy)
        }
    }
    // The same copy into a buffer allocated once: what memory alone costs, without fresh pages.
    Benchmark("copy into existing buffer 1x3x4000x3000") { benchmark in
        let destination = UnsafeMutablePointer<Float>.allocate(capacity: photo.count)
        destination.initialize(repeating: 0, count: photo.count)
        defer { destination.deallocate() }
        benchmark.startMeasurement()
        image.withUnsafeBufferPointer { source in
            destination.update(from: source.baseAddress!, count: source.count)
        }
        benchmark.stopMeasurement()
        blackHole(destination)
    }

    for k in [3, 5] {
        let weight = pattern(TensorShape(n: 3, c: 1, h: k, w: k), seed: 2)
        let parameters = Conv2dParameters(padding: .same, groups: 3, paddingMode: .reflect)
        Benchmark("depthwise \(k)x\(k) 1x3x4000x3000") { _ in
            blackHole(try conv2d(image, weight: weight, bias: nil, parameters: parameters))
        }
    }
    // Depthwise 3×3 into a buffer it wrote once before (conv2d(_:…:into:)), against the copy into an existing buffer:
    // the same bytes in and out, no fresh pages on either side.
    do {
        let weight = pattern(TensorShape(n: 3, c: 1, h: 3, w: 3), seed: 2)
        let parameters = Conv2dParameters(padding: .same, groups: 3, paddingMode: .reflect)
        Benchmark("depthwise 3x3 into existing buffer 1x3x4000x3000") { benchmark in
            var output = try conv2d(image, weight: weight, bias: nil, parameters: parameters)
            benchmark.startMeasurement()
            try conv2d(RowWindow(whole: image), weight: weight, bias: nil, parameters: parameters, rows: nil, into: &output)
            benchmark.stopMeasurement()
            blackHole(output)
        }
    }
    do {
        let weight = pattern(TensorShape(n: 3, c: 1, h: 3, w: 3), seed: 3)
        let parameters = Conv2dParameters(stride: Pair(2), padding: .explicit(Pair(1)), groups: 3, paddingMode: .zeros)
        Benchmark("strided depthwise 3x3 stride 2 1x3x4000x3000") { _ in
            blackHole(try conv2d(image, weight: weight, bias: nil, parameters: parameters))
        }
    }
    Benchmark("avgpool 2x2 stride 2 1x3x4000x3000") { _ in
        blackHole(try avgPool2d(image, parameters: AvgPool2dParameters(kernel: Pair(2))))
    }
    Benchmark("maxpool 2x2 stride 2 1x3x4000x3000") { _ in
        blackHole(try maxPool2d(image, parameters: MaxPool2dParameters(kernel: Pair(2))).output)
    }

    // Gaussian σ = 10 (a 61×61 kernel): the separable path and the direct 2-D path on one smaller image,
    // and the separable path on the full photo through the filter layer (what `imgconv blur --sigma 10` runs).
    let small = pattern(TensorShape(n: 1, c: 3, h: 400, w: 600), seed: 4)
    if let gaussian = try? KernelLibrary.gaussian(sigma: 10), let blur = try? BlurFilter(.gaussian(sigma: 10, radius: nil)) {
        Benchmark("gaussian sigma 10 separable 1x3x400x600") { _ in
            blackHole(try FilterRunner.run(blur, on: small).tensor)
        }
        let weight = gaussian.depthwiseWeight(channels: 3)
        let parameters = Conv2dParameters(padding: .same, groups: 3, paddingMode: .reflect)
        Benchmark("gaussian sigma 10 direct 2-D 1x3x400x600", configuration: .init(maxIterations: 3)) { _ in
            blackHole(try conv2d(small, weight: weight, bias: nil, parameters: parameters))
        }
        Benchmark("gaussian sigma 10 separable 1x3x4000x3000") { _ in
            blackHole(try FilterRunner.run(blur, on: image).tensor)
        }
    }
    for size in [3, 15, 63] {
        if let box = try? BlurFilter(.box(size: size)) {
            Benchmark("box \(size)x\(size) 1x3x4000x3000") { _ in
                blackHole(try FilterRunner.run(box, on: image).tensor)
            }
        }
    }

    // A large kernel that is not separable: 31×31 random weights on one 2000×2000 plane (compared with `vips conv`).
    do {
        let plane = pattern(TensorShape(n: 1, c: 1, h: 2000, w: 2000), seed: 5)
        let weight = pattern(TensorShape(n: 1, c: 1, h: 31, w: 31), seed: 6)
        let parameters = Conv2dParameters(padding: .same, paddingMode: .replicate)
        Benchmark("conv 31x31 non-separable 1x1x2000x2000", configuration: .init(maxIterations: 5)) { _ in
            blackHole(try conv2d(plane, weight: weight, bias: nil, parameters: parameters))
        }
    }

    // Dense convolution, 64 → 64 channels, 3×3, on 128×128 (compared with PyTorch on the same thread count).
    do {
        let input = pattern(TensorShape(n: 1, c: 64, h: 128, w: 128), seed: 7)
        let weight = pattern(TensorShape(n: 64, c: 64, h: 3, w: 3), seed: 8)
        Benchmark("dense conv 64-64 3x3 1x64x128x128") { _ in
            blackHole(try conv2d(input, weight: weight, bias: nil, parameters: Conv2dParameters(padding: .explicit(Pair(1)))))
        }
    }
    _ = imageBytes
}
