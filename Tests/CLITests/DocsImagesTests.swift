import Foundation
import Testing

/// Every picture in docs/images is made by the command on its line of docs/images/recipes.txt (run them all with
/// scripts/make-docs-images): rerunning each command must give the committed bytes, and no picture may be there
/// without a recipe.
@Suite struct DocsImagesTests {
    struct Recipe: Sendable, CustomTestStringConvertible {
        var file: String
        var arguments: [String]
        var testDescription: String { file }
    }

    static let folder = Repo.path("docs/images")

    static let recipes: [Recipe] = {
        guard let text = try? String(contentsOfFile: folder + "/recipes.txt", encoding: .utf8) else { return [] }
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.isEmpty }.map { line in
            let parts = line.split(separator: "\t", maxSplits: 1).map(String.init)
            // Split as scripts/make-docs-images splits it: as a shell would, quotes included (no globs here).
            return Recipe(file: parts[0], arguments: (try? HelpTests.shellWords(parts[1], in: folder)) ?? [])
        }
    }()

    @Test func everyPictureHasARecipe() throws {
        let pictures = try FileManager.default.contentsOfDirectory(atPath: Self.folder).filter { $0 != "recipes.txt" }
        #expect(!Self.recipes.isEmpty, "docs/images/recipes.txt is missing or empty")
        #expect(Set(pictures) == Set(Self.recipes.map(\.file)), "pictures without a recipe, or recipes without a picture")
    }

    @Test(arguments: recipes)
    func rerunGivesTheCommittedBytes(_ recipe: Recipe) throws {
        let out = try CLI.temporaryFolder().appendingPathComponent(recipe.file).path
        let arguments = recipe.arguments.map { $0 == "{out}" ? out : ($0.hasPrefix("samples/") ? Repo.path($0) : $0) }
        let r = try CLI.run(arguments)
        try #require(r.status == 0, "imgconv \(arguments.joined(separator: " ")): \(r.stderr)")
        let made = try Data(contentsOf: URL(fileURLWithPath: out))
        let committed = try Data(contentsOf: URL(fileURLWithPath: Self.folder + "/" + recipe.file))
        #expect(made == committed, "docs/images/\(recipe.file) is out of date: run scripts/make-docs-images")
    }
}
