import ArgumentParser
import ImageCodecs

/// `imgconv version`: the same line as `imgconv --version`.
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version",
        abstract: "Print imgconv's version (as --version does).",
        discussion: """
        One line, imgconv MAJOR.MINOR.PATCH (semantic versioning). Folder runs record it in each output's recipe,
        so outputs made by another version are redone.

        Example:
          imgconv version
        """
    )

    static var line: String { "imgconv \(ImgConvVersion.current)" }

    func run() throws { print(Self.line) }
}
