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
