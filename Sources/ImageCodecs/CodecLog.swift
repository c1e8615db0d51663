import CodecGuards

extension cg_log {
    /// The library's fatal error message, "" when none.
    var errorMessage: String {
        withUnsafeBytes(of: error) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }

    /// The library's warnings, each once, in the order they came.
    var warningList: [String] {
        let text = withUnsafeBytes(of: warnings) { String(decoding: $0.prefix(warnings_len), as: UTF8.self) }
        var seen = Set<String>()
        return text.split(separator: "\n").map(String.init).filter { seen.insert($0).inserted }
    }
}

/// Which libpng/libjpeg warnings are benign: remarks about a file that is fine to read, whose pixels are
/// exactly what the file means. The tool shows them only with `--verbose`; every other warning (a truncated
/// JPEG decoded with `allowTruncated`, corrupt data libjpeg skipped, a bad CRC libpng tolerated) is a real
/// problem and is shown unless the user asked for quiet.
package enum CodecWarning {
    /// The messages, as the libraries word them (matched anywhere in a warning line).
    package static let benignMessages: [String] = [
        // libpng recognises one of the old, slightly wrong sRGB profiles (HP/Microsoft's, in countless
        // files, including the bundled sample): it is still sRGB; imgconv keeps the profile as it is.
        "known incorrect sRGB profile",
        // libpng on writing a carried-over profile that is sRGB: it writes iCCP as asked.
        "profile matches sRGB but writing iCCP instead",
        // The cHRM/gAMA chunks disagree slightly with the sRGB/iCCP chunk; imgconv ignores both (no colour management).
        "cHRM chunk does not match sRGB",
        "gAMA chunk does not match sRGB",
    ]

    /// Whether `warning` (a line such as "photo.png: warning: iCCP: known incorrect sRGB profile") is benign.
    package static func isBenign(_ warning: String) -> Bool {
        benignMessages.contains { warning.contains($0) }
    }
}
