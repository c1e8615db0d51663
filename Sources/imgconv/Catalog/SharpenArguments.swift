import ArgumentParser
import ImageFilters
import ImagePipeline

struct SharpenArguments: ImageFilterStepArguments {
    @Option(help: ArgumentHelp("Unsharp mask: standard deviation of the blur that is subtracted.", valueName: "σ"), transform: NumberArgument.float)
    var sigma: Float = 1

    @Option(parsing: .unconditional, help: ArgumentHelp("Unsharp mask: how much of the difference is added back.", valueName: "A"), transform: NumberArgument.float)
    var amount: Float = 1

    @Option(help: ArgumentHelp("Unsharp mask: differences smaller than this (on the 0–1 scale) are left alone.", valueName: "T"), transform: NumberArgument.float)
    var threshold: Float = 0

    @Option(help: ArgumentHelp("classic: the 3×3 kernel 0 −1 0; −1 5 −1; 0 −1 0 instead of the unsharp mask.", valueName: "classic"))
    var kernel: String?

    @OptionGroup(title: "Geometry") var geometry: FilterGeometryOptions
    @OptionGroup(title: "Values") var output: FilterOutputOptions

    func validate() throws {
        if let kernel, kernel != "classic" { throw ValidationError("--kernel takes 'classic', not '\(kernel)'.") }
    }

    func makeStep() throws -> PipelineStep {
        let method: SharpenFilter.Method = kernel == "classic" ? .classic : .unsharpMask(sigma: sigma, amount: amount, threshold: threshold)
        return PipelineStep(try SharpenFilter(method, geometry: geometry.geometry), options: output.filterOptions)
    }
}
