import ArgumentParser
import ImageFilters
import ImagePipeline
import TensorEngine

/// The window options max and average pooling share.
struct PoolWindowOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Window size: N or H,W.", valueName: "K"))
    var kernelSize: Pair?

    @Option(help: ArgumentHelp("Step between windows (default: the window size, as PyTorch).", valueName: "S"))
    var stride: Pair?

    @Option(help: ArgumentHelp("Padding on each side, at most half the window (PyTorch pads max pooling with −∞ and average pooling with zeros).", valueName: "P"))
    var padding: Pair = Pair(0)

    @Flag(help: "Round the output size up (PyTorch's rule: the last window must start inside the input or the left padding).")
    var ceilMode = false

    @Option(help: ArgumentHelp("Beyond PyTorch: pad with real values. " + GeometryHelp.paddingModes, valueName: "MODE"))
    var paddingMode: PaddingMode?

    @Option(help: ArgumentHelp("Adaptive pooling to this output size (AdaptiveMaxPool2d / AdaptiveAvgPool2d), instead of a window.", valueName: "H,W"))
    var outputSize: Pair?

    func validate() throws {
        guard (kernelSize == nil) != (outputSize == nil) else { throw ValidationError("Give --kernel-size, or --output-size for adaptive pooling.") }
    }

    /// The window checks that need no input (PyTorch's), as usage errors.
    func validate(dilation: Pair) throws {
        guard let kernelSize else { return }
        try Diagnostics.validatingOptions {
            try Pool2dGeometry.validateWindow(kernel: kernelSize, stride: stride ?? kernelSize, padding: padding, dilation: dilation)
        }
    }
}

struct MaxPoolArguments: FilterStepArguments {
    @OptionGroup(title: "Window") var window: PoolWindowOptions

    @Option(help: ArgumentHelp(GeometryHelp.dilation, valueName: "D"))
    var dilation: Pair = Pair(1)

    func validate() throws { try window.validate(dilation: dilation) }

    var parameters: MaxPool2dParameters? {
        window.kernelSize.map {
            MaxPool2dParameters(kernel: $0, stride: window.stride, padding: window.padding, dilation: dilation,
                                ceilMode: window.ceilMode, paddingMode: window.paddingMode)
        }
    }

    func makeStep() throws -> PipelineStep {
        let op: PoolFilter.Operation = if let parameters { .max(parameters) } else { .adaptiveMax(outputSize: window.outputSize!) }
        return PipelineStep(PoolFilter(op), options: FilterOptions(lastChannelIsAlpha: false))
    }
}

struct MaxPoolCommand: ParsableCommand {
    static var configuration: CommandConfiguration { FilterCatalog.entry(for: MaxPoolArguments.self).configuration }

    @OptionGroup var files: FileArguments
    @OptionGroup var filter: MaxPoolArguments

    @Option(help: ArgumentHelp("Also write the argmax of every window as int64 .npy (flat index y·W + x within each input plane, as PyTorch). Both files are written or neither; I.npy must differ from IN and OUT.", valueName: "I.npy"), completion: .file(extensions: ["npy"]))
    var indices: String?

    @OptionGroup var runOptions: RunOptions

    func run() throws {
        guard let indices else { return try runOptions.execute(steps: [filter], files: files.operands) }
        if files.input == "-" || files.output == "-" || !files.more.isEmpty {
            throw ValidationError("--indices writes two files for one input: give IN and OUT as paths (not - and not several inputs).")
        }
        if runOptions.batch.dryRun { return try RunOptions.listDryRun(files.operands) }
        try Diagnostics.exitingOnFailure {
            let job = MaxPoolIndicesJob(parameters: filter.parameters, adaptiveOutputSize: filter.window.outputSize,
                                        decodeOptions: runOptions.decoding.decodeOptions, encodeOptions: try runOptions.encoding.encodeOptions())
            let warnings = try job.run(input: files.input, output: files.output, indicesOutput: indices)
            runOptions.printWarnings(warnings)
        }
    }
}

struct AvgPoolArguments: FilterStepArguments {
    @OptionGroup(title: "Window") var window: PoolWindowOptions

    @Flag(name: .customLong("no-count-include-pad"), help: "Divide by the number of real pixels in the window, not counting padding.")
    var excludePadding = false

    @Option(help: ArgumentHelp("Divide every window's sum by N instead.", valueName: "N"), transform: NumberArgument.integer)
    var divisorOverride: Int?

    func validate() throws {
        if let divisorOverride, divisorOverride == 0 { throw ValidationError("--divisor-override must not be 0.") }
        try window.validate(dilation: Pair(1))
    }

    func makeStep() throws -> PipelineStep {
        let op: PoolFilter.Operation
        if let kernelSize = window.kernelSize {
            op = .average(AvgPool2dParameters(kernel: kernelSize, stride: window.stride, padding: window.padding, ceilMode: window.ceilMode,
                                              countIncludePad: !excludePadding, divisorOverride: divisorOverride, paddingMode: window.paddingMode))
        } else {
            op = .adaptiveAverage(outputSize: window.outputSize!)
        }
        return PipelineStep(PoolFilter(op), options: FilterOptions(lastChannelIsAlpha: false))
    }
}
