import ArgumentParser
import ImageFilters
import ImagePipeline

struct IdentityArguments: FilterStepArguments {
    static let stepName = "identity"

    @OptionGroup(title: "Geometry") var geometry: FilterGeometryOptions
    @OptionGroup(title: "Values") var output: FilterOutputOptions

    func makeStep() throws -> PipelineStep {
        PipelineStep(try KernelFilter(kernel: KernelLibrary.identity, name: "identity", geometry: geometry.geometry),
                     options: output.filterOptions)
    }
}

struct IdentityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "identity",
        abstract: "Run the 1×1 kernel [1] through the whole pipeline: a check that it is lossless.",
        discussion: """
        PNG in, PNG out gives the same pixels bit for bit (16-bit stays 16-bit). With --stride it shows \
        which pixels a strided filter keeps.

        Examples:
          imgconv identity photo.png same.png
          imgconv identity photo.png every-other.png --stride 2
        """
    )

    @OptionGroup var files: FileArguments
    @OptionGroup var filter: IdentityArguments
    @OptionGroup var runOptions: RunOptions

    func run() throws { try runOptions.execute(steps: [filter], files: files.operands) }
}
