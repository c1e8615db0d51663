import TensorEngine

/// Text grids: a matrix of numbers in a `.txt` or `.csv` file, read as a (1, 1, H, W) tensor and written the same
/// way, values as they are (like `.npy`, never scaled to [0, 1]). For lessons and checks without NumPy.
///
/// Reading: one row per line (LF, CR LF or CR); values separated by spaces, tabs or commas (any mix, repeated
/// separators count once); `#` starts a comment that runs to the end of the line; blank and comment-only lines
/// are skipped; a leading UTF-8 byte-order mark is dropped. Values are decimal or exponent numbers as Swift's
/// `Float(_:)` reads them, including `nan`, `inf` and `-inf`. Every row must have as many values as the first.
/// In a file `;` is not a separator (a European CSV's `1;2;3` is an error rather than a column); inline grids
/// (``parse(_:name:rowsSplitBySemicolons:)``, e.g. explain's `--input "1 2; 3 4"`) also split rows at `;`.
///
/// Writing: one row per line, each value the shortest text that reads back as the same Float32 (Swift's
/// `description`), integers without a decimal point (`8`, not `8.0`): reading a written grid gives back exactly
/// the same bits for every value, `-0`, `nan` and `±inf` included. `.txt` right-aligns columns with spaces;
/// `.csv` separates values with a comma and nothing else.
package enum TextGridFile {
    /// The file-name extensions (lower-case) of text grids.
    package static let extensions: Set<String> = ["txt", "csv"]

    /// Whether `path` names a text grid by its extension (case-insensitive).
    package static func isTextGridPath(_ path: String) -> Bool {
        extensions.contains(pathExtension(path))
    }

    /// Decodes a whole text-grid file. `path` only names the file in errors.
    package static func read(contentsOf bytes: some Collection<UInt8>, path: String) throws -> Tensor {
        guard let text = plainText(bytes) else {
            throw ImageCodecError.notAnImage(path: path, reason: "is not a text grid: it is not plain UTF-8 text (it holds invalid bytes or control characters)")
        }
        return try parse(text, name: path, rowsSplitBySemicolons: false)
    }

    /// The bytes as a string when they are UTF-8 text with no control character but tab, CR and LF (a leading
    /// byte-order mark dropped); nil for anything binary. Text files that users write (grids, kernels) are read
    /// through this, so that no message ever quotes raw bytes.
    package static func plainText(_ bytes: some Collection<UInt8>) -> String? {
        var body = Array(bytes)[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        guard let text = String(validating: body, as: UTF8.self) else { return nil }
        let allowed: Set<Unicode.Scalar> = ["\t", "\n", "\r"]
        if text.unicodeScalars.contains(where: { ($0.value < 0x20 || $0.value == 0x7F) && !allowed.contains($0) }) { return nil }
        return text
    }

    /// Parses grid text (see the type's description); `name` (a path, or an option such as `--input`) starts
    /// every error, which names the row and column of the offending value.
    package static func parse(_ text: String, name: String, rowsSplitBySemicolons: Bool) throws -> Tensor {
        var text = text
        return try text.withUTF8 { try parse(bytes: $0, name: name, rowsSplitBySemicolons: rowsSplitBySemicolons) }
    }

    /// The parser itself, over UTF-8 bytes (a byte scan: fast on large grids, where splitting `Character`s is not).
    private static func parse(bytes: UnsafeBufferPointer<UInt8>, name: String, rowsSplitBySemicolons: Bool) throws -> Tensor {
        let newline = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r"), hash = UInt8(ascii: "#"), semicolon = UInt8(ascii: ";")
        let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t"), comma = UInt8(ascii: ",")
        var values: [Float] = []
        var width = 0, height = 0, lineNumber = 0
        var i = 0
        let end = bytes.count
        while i < end {
            // One line (or, inline, one ;-separated row): [i, lineEnd).
            var lineEnd = i
            while lineEnd < end, bytes[lineEnd] != newline, bytes[lineEnd] != cr, !(rowsSplitBySemicolons && bytes[lineEnd] == semicolon) {
                lineEnd += 1
            }
            lineNumber += 1
            var contentEnd = i
            while contentEnd < lineEnd, bytes[contentEnd] != hash { contentEnd += 1 }
            var fields = 0, j = i
            while j < contentEnd {
                while j < contentEnd, bytes[j] == space || bytes[j] == tab || bytes[j] == comma { j += 1 }
                if j == contentEnd { break }
                var k = j
                while k < contentEnd, bytes[k] != space, bytes[k] != tab, bytes[k] != comma { k += 1 }
                let field = String(decoding: UnsafeBufferPointer(rebasing: bytes[j..<k]), as: UTF8.self)
                guard let v = Float(field) else {
                    let shown = field.count > 24 ? field.prefix(24) + "…" : Substring(field)
                    let where_ = rowsSplitBySemicolons ? "row \(height + 1)" : "line \(lineNumber)"
                    throw ImageCodecError.corrupt(path: name, reason: "\(where_), column \(fields + 1): '\(shown)' is not a number")
                }
                values.append(v)
                fields += 1
                j = k
            }
            if fields > 0 {
                if height == 0 {
                    width = fields
                } else if fields != width {
                    let where_ = rowsSplitBySemicolons ? "row \(height + 1)" : "line \(lineNumber)"
                    throw ImageCodecError.corrupt(path: name, reason: "\(where_) has \(fields) value\(fields == 1 ? "" : "s"), but the first row has \(width): every row needs the same number")
                }
                height += 1
                guard values.count <= TensorShape.maxCount else {
                    throw ImageCodecError.limitExceeded(path: name, limit: .heldValues, reason: "the grid holds more than \(TensorShape.maxCount) values")
                }
            }
            // Past the line break: CR LF counts as one.
            i = lineEnd
            if i < end, bytes[i] == cr, i + 1 < end, bytes[i + 1] == newline { i += 2 } else if i < end { i += 1 }
        }
        guard height > 0 else {
            throw ImageCodecError.corrupt(path: name, reason: "holds no numbers: give rows of numbers such as \"1 2 3\" on separate lines")
        }
        return Tensor(shape: TensorShape(n: 1, c: 1, h: height, w: width), storage: values)
    }

    /// Encodes a (1, 1, H, W) tensor; `.csv` in `path`'s extension separates values by commas, anything else
    /// by aligned spaces. Other shapes are an error naming `path`.
    package static func encode(_ tensor: Tensor, path: String) throws -> [UInt8] {
        try checkShape(tensor.shape, path: path)
        let csv = pathExtension(path) == "csv"
        let cells = tensor.storage.map(number)
        let width = csv ? 0 : cells.map(\.utf8.count).max()!
        var out: [UInt8] = []
        out.reserveCapacity(cells.count * (width + 1))
        for y in 0..<tensor.h {
            for x in 0..<tensor.w {
                let cell = cells[y * tensor.w + x]
                if x > 0 { out.append(csv ? UInt8(ascii: ",") : UInt8(ascii: " ")) }
                if !csv { out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: width - cell.utf8.count)) }
                out.append(contentsOf: cell.utf8)
            }
            out.append(UInt8(ascii: "\n"))
        }
        return out
    }

    /// Throws unless `s` is (1, 1, H, W) with H, W > 0: the one shape a text grid holds.
    static func checkShape(_ s: TensorShape, path: String) throws {
        guard s.n == 1, s.c == 1, s.h > 0, s.w > 0 else {
            throw ImageCodecError.invalidParameter(path: path, reason: "a text grid holds one plane, shape (1, 1, H, W), not (\(s.n), \(s.c), \(s.h), \(s.w)); write .npy for other shapes, or make the image gray")
        }
    }

    /// The shortest text that reads back as exactly `v`: integers below 2²⁴ without a decimal point, `-0` for
    /// negative zero, otherwise Swift's `description` (`0.1`, `1e-05`, `nan`, `inf`, `-inf`).
    package static func number(_ v: Float) -> String {
        if v == 0 { return v.sign == .minus ? "-0" : "0" }
        if v.isFinite, v == v.rounded(), abs(v) < 16_777_216 { return String(Int(v)) }
        return v.description
    }

    private static func pathExtension(_ path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
        return name[name.index(after: dot)...].lowercased()
    }
}
