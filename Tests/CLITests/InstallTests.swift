import Foundation
import ImageCodecs
import Testing

/// `scripts/install` into a temporary prefix, then the installed binary run with the Swift toolchain hidden
/// (a tmpfs mounted over its folder in a private mount namespace, `unshare -m`), as on a machine without Swift.
/// Slow (a static release build, minutes) and needs root for the mount: set IMGCONV_INSTALL_TEST=1.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["IMGCONV_INSTALL_TEST"] == "1",
                "builds a release binary (minutes) and needs root for unshare -m: set IMGCONV_INSTALL_TEST=1"))
struct InstallTests {
    static func shell(_ script: String) throws -> (status: Int32, output: String) {
        try CLI.runTool("/bin/bash", ["-c", script])
    }

    @Test func installsARunnableBinaryManualAndCompletions() throws {
        let prefix = try CLI.temporaryFolder().path + "/prefix"
        let install = try Self.shell("'\(Repo.path("scripts/install"))' --prefix '\(prefix)'")
        #expect(install.status == 0, "\(install.output.suffix(2000))")

        // The toolchain's folder: `which swift` is TOOLCHAIN/usr/bin/swift.
        let swift = try Self.shell("readlink -f \"$(command -v swift)\"").output.trimmingCharacters(in: .whitespacesAndNewlines)
        let toolchain = URL(fileURLWithPath: swift).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        #expect(toolchain != "/" && FileManager.default.fileExists(atPath: toolchain + "/usr/lib/swift"), "toolchain at \(toolchain)?")

        let out = try CLI.temporaryFolder().path
        let hidden = try Self.shell("""
            unshare -m bash -c '
              mount -t tmpfs none "\(toolchain)" || exit 90
              test ! -e "\(toolchain)/usr/lib/swift" || exit 91
              "\(prefix)/bin/imgconv" --version &&
              "\(prefix)/bin/imgconv" blur "\(Repo.path("samples/skimage_chelsea.png"))" "\(out)/b.png" --sigma 2 &&
              "\(prefix)/bin/imgconv" info "\(out)/b.png"'
            """)
        #expect(hidden.status == 0, "\(hidden.output)")
        #expect(hidden.output.contains("imgconv \(ImgConvVersion.current)\n"), "\(hidden.output)")
        #expect(hidden.output.contains("PNG 451×300"))
        // The plain `swift build` binary, by contrast, needs the toolchain (its RUNPATH points into it).
        let plain = try Self.shell("unshare -m bash -c 'mount -t tmpfs none \"\(toolchain)\" && \"\(CLI.executable.path)\" --version'")
        #expect(plain.status != 0, "the debug binary ran without the toolchain: is the test hiding it?")

        let pages = try FileManager.default.contentsOfDirectory(atPath: prefix + "/share/man/man1")
        #expect(pages.contains("imgconv.1") && pages.contains("imgconv.blur.1"))
        let blurPage = try String(contentsOfFile: prefix + "/share/man/man1/imgconv.blur.1", encoding: .utf8)
        #expect(blurPage.contains("exp(−x²/2σ²) over ±radius"))
        let rendered = try Self.shell("LANG=C.UTF-8 MANWIDTH=200 man -l '\(prefix)/share/man/man1/imgconv.blur.1' 2>&1")
        #expect(rendered.status == 0 && rendered.output.contains("σ"), "\(rendered.output.prefix(500))")

        for (file, needle) in [("share/bash-completion/completions/imgconv", "symmetric"),
                               ("share/zsh/site-functions/_imgconv", "_files"),
                               ("share/fish/vendor_completions.d/imgconv.fish", "circular")] {
            let text = try String(contentsOfFile: prefix + "/" + file, encoding: .utf8)
            #expect(text.contains(needle), "\(file)")
            #expect(text.contains("padding-mode"), "\(file)")
        }
    }
}
