import BatchProcessing
import ImageCodecs

/// The recipe of a folder run, from the parsed command: every filter step with all its option values, the
/// reading and writing options, and the files the steps read (their contents go into the fingerprint).
/// Run options (`--jobs`, `--progress`, `--report`, `--shard`, `--quiet`, `--dry-run`, selection, `--verbose`)
/// live elsewhere and are not part of it. The one place the CLI makes a `Recipe`.
enum RecipeText {
    static func recipe(steps: [any FilterStepArguments], decoding: DecodeOptionGroup, encoding: EncodeOptionGroup) -> Recipe {
        let text = "imgconv \(ImgConvVersion.current)\nsteps " + steps.map(describe).joined(separator: " | ")
            + "\ndecode " + describe(decoding) + "\nencode " + describe(encoding)
        return Recipe(description: text, filesRead: steps.flatMap(\.filesRead).map(\.path))
    }

    /// A value as text, every stored property included (through `Mirror`), so that two parsed commands
    /// give the same text exactly when all their option values are equal. Sets and dictionaries are sorted.
    static func describe(_ value: Any) -> String {
        let mirror = Mirror(reflecting: value)
        if mirror.children.isEmpty { return String(reflecting: value) }
        var parts = mirror.children.map { child in (child.label.map { $0 + ":" } ?? "") + describe(child.value) }
        if mirror.displayStyle == .set || mirror.displayStyle == .dictionary { parts.sort() }
        return "\(mirror.subjectType)(" + parts.joined(separator: ",") + ")"
    }
}
