import ArgumentParser
import BatchProcessing
import Foundation

@main
struct Imgconv: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "imgconv",
        abstract: "Filter PNG and JPEG images with convolution and pooling, exactly as PyTorch computes them.",
        discussion: """
        Images decode to NCHW Float32 tensors with values in [0, 1]; .npy files are read as they are. \
        Every filter is a 2-D convolution or pooling with torch.nn.Conv2d / MaxPool2d / AvgPool2d semantics. \
        IN and OUT may be folders: the tree is mirrored and every core is used.

        Examples:
          imgconv blur photo.jpg soft.jpg --sigma 3
          imgconv edge photo.jpg edges.png
          imgconv conv x.npy y.npy --weight w.npy --stride 2 --padding 1
          imgconv explain --input "1 2 3; 4 5 6; 7 8 9" --kernel "1 0; 0 1"
          imgconv shape --input 227,227 --kernel-size 11 --stride 4
        """,
        subcommands: [
            BlurCommand.self, SharpenCommand.self, EdgeCommand.self, EmbossCommand.self, IdentityCommand.self,
            ConvCommand.self, MaxPoolCommand.self, AvgPoolCommand.self, PadCommand.self, PipelineCommand.self,
            ConvertCommand.self, InfoCommand.self, ShapeCommand.self, ExplainCommand.self,
            KernelsCommand.self, KernelCommand.self, VisualizeCommand.self, AnimateCommand.self, SweepCommand.self,
        ]
    )

    /// Parses and runs as `ParsableCommand.main()` does, with one difference: a `ValidationError` thrown while
    /// a subcommand runs (an option value the library refused, see `Diagnostics.validatingOptions`) is printed
    /// exactly as the parser prints its own (`Error: …`, that subcommand's usage line, exit 64), with the
    /// message kept on one line.
    static func main() {
        var command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            exit(withError: error)
        }
        do {
            try command.run()
        } catch let error as ValidationError {
            let path = (["imgconv"] + commandPath(to: type(of: command))).joined(separator: " ")
            let text = "Error: \(OneLine.escaped(error.message))\nUsage: \(usageString(for: type(of: command)))\n"
                + "  See '\(path) --help' for more information.\n"
            FileHandle.standardError.write(Data(text.utf8))
            Foundation.exit(ExitCode.validationFailure.rawValue)
        } catch {
            exit(withError: error)
        }
    }

    /// The subcommand names from the root to `target` (`["kernel", "show"]`).
    static func commandPath(to target: any ParsableCommand.Type, from root: any ParsableCommand.Type = Imgconv.self) -> [String] {
        for sub in root.configuration.subcommands {
            let name = sub.configuration.commandName ?? String(describing: sub).lowercased()
            if sub == target { return [name] }
            let rest = commandPath(to: target, from: sub)
            if !rest.isEmpty { return [name] + rest }
        }
        return []
    }
}
