import ArgumentParser
import Foundation
import ImageCodecs
import ImageFilters
import ImagePipeline
import TensorEngine

struct ConvArguments: FilterStepArguments {
    @Option(help: ArgumentHelp("Weight .npy: (C_out, C_in/groups, kH, kW) as torch.nn.Conv2d; (kH, kW) is applied to every channel; (C_out, kH, kW) gives each input channel C_out/C_in outputs (groups = C_in).", valueName: "W.npy"), completion: .file(extensions: ["npy"]))
    var weight: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Kernel rows, e.g. \"1 0 1; 0 1 0; 1 0 1\", an ImageMagick string \"3x3: 1,0,1 0,1,0 1,0,1\", or a name from `imgconv kernels` (sobel-x, laplacian, gaussian:1.5, box:5, motion:9,30, emboss:45, …); applied to every channel. A kernel may start with a minus sign: --kernel \"-1 0 1\".", valueName: "ROWS|NAME"))
    var kernel: String?

    @Option(help: ArgumentHelp("Kernel from a file: rows of numbers (spaces or commas, # comments), a libvips matrix file (header 'width height [scale [offset]]'), an ImageMagick string, a 2-D .npy, or a PNG/JPEG image whose gray values v/255 are the weights (usually with --normalize, as vips conv takes a mask image).", valueName: "FILE"), completion: .file())
    var kernelFile: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Bias added to every output: a number, or a .npy with one value per output channel.", valueName: "B|B.npy"))
    var bias: String?

    @Option(help: ArgumentHelp(GeometryHelp.stride, valueName: "S"))
    var stride: Pair = Pair(1)

    @Option(help: ArgumentHelp("N, H,W, same (stride 1 only; extra padding bottom/right, as PyTorch) or valid.", valueName: "P"))
    var padding: PaddingSpec = .explicit(Pair(0))

    @Option(help: ArgumentHelp("What the border reads: " + GeometryHelp.paddingModes, valueName: "MODE"))
    var paddingMode: PaddingMode = .zeros

    @Option(help: ArgumentHelp(GeometryHelp.dilation, valueName: "D"))
    var dilation: Pair = Pair(1)

    @Option(help: ArgumentHelp("Groups for a 4-D --weight: C_in and C_out must be divisible by it.", valueName: "G"), transform: NumberArgument.integer)
    var groups: Int = 1

    @Flag(help: "True convolution: rotate the kernel by 180° (PyTorch, like every CNN library, correlates).")
    var flip = false

    @Flag(help: "Divide the kernel by the sum of its weights (an error when they sum to 0).")
    var normalize = false

    @Option(parsing: .unconditional, help: ArgumentHelp("Divide the kernel by D.", valueName: "D"), transform: NumberArgument.float)
    var divisor: Float?

    @Option(parsing: .unconditional, help: ArgumentHelp("Add V to every output after the division (GIMP's offset).", valueName: "V"), transform: NumberArgument.float)
    var offset: Float = 0

    func validate() throws {
        let sources = [weight, kernel, kernelFile].compactMap { $0 }.count
        guard sources == 1 else { throw ValidationError("Give exactly one of --weight, --kernel and --kernel-file.") }
        if weight == nil && groups != 1 { throw ValidationError("--groups goes with --weight; a --kernel is applied to every channel (groups = C).") }
        if groups < 1 { throw ValidationError("groups must be at least 1, but it is \(groups)") }
        try Diagnostics.validatingOptions {
            try FilterGeometry(stride: stride, padding: padding, paddingMode: paddingMode, dilation: dilation).validate()
            _ = try padding.resolved(kernel: Pair(1), dilation: dilation, stride: stride)  // PyTorch: `same` needs stride 1
        }
    }

    var filesRead: [AtomicFile.PathUse] {
        var files: [AtomicFile.PathUse] = []
        if let weight { files.append(.init("--weight file", weight)) }
        if let kernelFile { files.append(.init("--kernel-file", kernelFile)) }
        if let bias, Float(bias) == nil { files.append(.init("--bias file", bias)) }
        return files
    }

    func makeStep() throws -> PipelineStep {
        let plain = FilterOptions(lastChannelIsAlpha: false)
        if let weight {
            return PipelineStep(try denseFilter(weightPath: weight), options: plain)
        }
        let parsed: ParsedKernel
        if let kernel {
            parsed = try KernelParser.parse(kernel)
        } else {
            parsed = try KernelFile.read(kernelFile!)
        }
        let geometry = FilterGeometry(stride: stride, padding: padding, paddingMode: paddingMode, dilation: dilation,
                                      paddingReach: .pytorch)
        let filter = try KernelFilter(kernel: parsed.kernel, flip: flip, normalize: normalize,
                                      divisor: (divisor ?? 1) * parsed.divisor, bias: try scalarBias(),
                                      offset: offset + parsed.offset, geometry: geometry)
        return PipelineStep(filter, options: plain)
    }

    private func scalarBias() throws -> Float {
        guard let bias else { return 0 }
        guard let value = Float(bias), value.isFinite else {
            throw ValidationError("With --kernel, --bias takes one number, not '\(bias)'.")
        }
        return value
    }

    private func denseFilter(weightPath: String) throws -> any ImageFilter {
        let array = try NumpyFile.readArray(contentsOf: AtomicFile.read(weightPath), path: weightPath)
        var w = array.tensor
        if array.dimensions.count == 2 {
            // (kH, kW): the same as --kernel, with its conveniences.
            let geometry = FilterGeometry(stride: stride, padding: padding, paddingMode: paddingMode, dilation: dilation,
                                      paddingReach: .pytorch)
            // Weights the file holds that cannot be a kernel (NaN, no rows) are that file's failure (exit 1).
            let kernel: Kernel
            do { kernel = try Kernel(rows: w.h, columns: w.w, values: w.storage) } catch {
                throw ImageCodecError.corrupt(path: weightPath, reason: "\(error)")
            }
            return try KernelFilter(kernel: kernel, flip: flip, normalize: normalize,
                                    divisor: divisor ?? 1, bias: try scalarBias(), offset: offset, geometry: geometry)
        }
        if normalize || divisor != nil || offset != 0 {
            throw ValidationError("--normalize, --divisor and --offset go with a 2-D kernel; scale a weight tensor yourself.")
        }
        let depthwise = array.dimensions.count == 3
        if depthwise { w = w.reshaped(TensorShape(n: w.c, c: 1, h: w.h, w: w.w)) }  // (C_out, kH, kW) → (C_out, 1, kH, kW)
        if flip { w = rotated180(w) }
        var biasValues: [Float]?
        if let bias {
            if let value = Float(bias) {
                biasValues = [Float](repeating: value, count: w.n)
            } else {
                biasValues = try NumpyFile.readArray(contentsOf: AtomicFile.read(bias), path: bias).tensor.storage
            }
        }
        let parameters = Conv2dParameters(stride: stride, padding: padding, dilation: dilation, groups: groups, paddingMode: paddingMode)
        return DenseConvolutionFilter(weight: w, bias: biasValues, parameters: parameters, groupsEqualInputChannels: depthwise)
    }
}
