import Foundation
import Testing

/// The argument parser's own messages (an unknown option, a bad value, a `validate()` refusal while parsing) keep
/// control characters escaped, as the tool's own messages do: the `Error:` line stays one line (issue 12, item 21).
@Suite struct ParserMessageTests {
    static let cases: [(arguments: [String], shows: String)] = [
        (["blur", "a.png", "b.png", "--si\ngma", "2"], "Unknown option '--si\\ngma'"),
        (["blur", "a.png", "b.png", "--sig\rma=3"], "Unknown option '--sig\\rma'"),
        (["blur", "a.png", "b.png", "--sigma", "1\n2"], "The value '1\\n2' is invalid for '--sigma <σ>'"),
        (["edge", "a.png", "b.png", "--operator", "so\u{1B}[2Jbel"], "so\\u{1B}[2Jbel"),
        (["pipeline", "a.png", "b.png", "blur --x\ny"], "Step 1 'blur --x\\ny': Unknown option '--x'"),
        (["visualize", "--grid", "1 2", "v.png", "--pool", "ma\nx\t"], "--pool takes max or avg, not 'ma\\nx\\t'"),
        (["shape", "--input", "3\u{2028}4"], "\\u{2028}"),
    ]

    @Test(arguments: 0..<cases.count)
    func parserMessagesStayOnOneLine_item21(_ index: Int) throws {
        let (arguments, shows) = Self.cases[index]
        let r = try CLI.run(arguments)
        #expect(r.status == 64, "\(arguments): \(r.stderr)")
        let lines = r.stderr.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let error = try #require(lines.first { $0.hasPrefix("Error: ") }, "\(r.stderr)")
        #expect(error.contains(shows), "\(error)")
        // No raw control character anywhere in what was printed, and every line is a line the parser writes.
        #expect(!r.stderr.unicodeScalars.contains { $0 != "\n" && ($0.properties.generalCategory == .control || $0 == "\u{2028}") },
                "raw control character in \(r.stderr.debugDescription)")
        for line in lines where !line.isEmpty {
            #expect(["Error: ", "Usage: ", "  See '", "Help: ", "       "].contains { line.hasPrefix($0) }, "stray line \(line.debugDescription)")
        }
    }

    @Test func helpAndVersionAreUnchanged() throws {
        let help = try CLI.run(["blur", "--help"])
        #expect(help.status == 0 && help.stdout.hasPrefix("OVERVIEW: Smooth an image") && help.stderr.isEmpty)
        let version = try CLI.run(["--version"])
        #expect(version.status == 0 && version.stdout.hasPrefix("imgconv ") && version.stderr.isEmpty)
        let missing = try CLI.run(["blur"])
        #expect(missing.status == 64 && missing.stderr.hasPrefix("Error: Missing expected argument '<input>'\n"))
    }
}
