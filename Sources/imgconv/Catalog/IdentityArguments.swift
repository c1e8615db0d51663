import ArgumentParser
import ImageFilters
import ImagePipeline

struct IdentityArguments: ImageFilterStepArguments {
    @OptionGroup(title: "Geometry") var geometry: FilterGeometryOptions
    @OptionGroup(title: "Values") var output: FilterOutputOptions

    func makeStep() throws -> PipelineStep {
        PipelineStep(try KernelFilter(kernel: KernelLibrary.identity, name: "identity", geometry: geometry.geometry),
                     options: output.filterOptions)
    }
}
