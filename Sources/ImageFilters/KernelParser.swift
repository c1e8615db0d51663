import Foundation

/// A kernel read from text, with the scale and offset some formats carry (libvips matrix files).
public struct ParsedKernel: Equatable, Sendable {
    /// The weights as written, before ``divisor`` and ``offset``.
    public var kernel: Kernel
    /// Divide every weight by this (libvips `scale`); 1 when the text gives none.
    public var divisor: Float = 1
    /// Add this to every output value (libvips `offset`); 0 when the text gives none.
    public var offset: Float = 0

    /// The parts as given (divisor 1, offset 0 by default); not checked here (``KernelFilter`` checks them).
    public init(kernel: Kernel, divisor: Float = 1, offset: Float = 0) {
        self.kernel = kernel
        self.divisor = divisor
        self.offset = offset
    }
}

/// Reads kernels written as text, in every notation a user is likely to have at hand:
///
/// - a name: `sobel-x`, `gaussian:1.5`, `box:5`, … (`imgconv kernels` lists them);
/// - rows: `"1 0 1; 0 1 0; 1 0 1"` — rows split by `;` or newlines, values by spaces or commas
///   (also the contents of a text or CSV file; `#` starts a comment);
/// - ImageMagick: `"3x3: 1,0,1 0,1,0 1,0,1"` or `"3: …"` for a square (`WxH:` then W·H values row by row);
/// - libvips matrix files: a header line `width height [scale [offset]]`, then `height` rows of `width` values.
///
/// Errors name the row and column of the offending value.
public enum KernelParser {
    /// Parses any of the notations above, telling them apart by their look. A libvips header is
    /// recognised only in files (`fromFile: true`): inline, `"2 1; 3 4"` is a 2×2 kernel, not a header.
    ///
    /// Line ends may be LF, CRLF (Windows) or CR alone (classic Mac), and a UTF-8 byte-order mark at the start
    /// is ignored, so a kernel saved by any editor reads the same.
    public static func parse(_ text: String, fromFile: Bool = false) throws -> ParsedKernel {
        let trimmed = normalizedLines(text).trimmingCharacters(in: .whitespacesAndNewlines)
        if let named = try KernelLibrary.named(trimmed) { return ParsedKernel(kernel: named) }
        if let colon = trimmed.firstIndex(of: ":"), isImageMagickGeometry(trimmed[..<colon]) {
            return ParsedKernel(kernel: try parseImageMagick(trimmed))
        }
        let rows = try numberRows(trimmed, noun: "kernel")
        if fromFile, let header = rows.first, isVipsHeader(header, following: Array(rows.dropFirst())) {
            return try parseVips(header: header, rows: Array(rows.dropFirst()))
        }
        return ParsedKernel(kernel: try kernel(fromRows: rows))
    }

    /// A matrix of data written as rows (`"1 2 3; 4 5 6"`), such as `explain --input`: the rows notation of
    /// ``parse(_:fromFile:)``, with messages that speak of a matrix, not a kernel.
    public static func parseMatrix(_ text: String) throws -> Kernel {
        let rows = try numberRows(normalizedLines(text).trimmingCharacters(in: .whitespacesAndNewlines), noun: "matrix")
        if let i = rows.firstIndex(where: { $0.count != rows[0].count }) {
            throw FilterError.invalidKernel(reason: "matrix row \(i + 1) has \(rows[i].count) values but row 1 has \(rows[0].count); every row needs the same number")
        }
        return try kernel(fromRows: rows)
    }

    /// `text` without a leading byte-order mark (U+FEFF) and with every CRLF and lone CR turned into LF.
    /// (In Swift a CRLF is one `Character`, equal neither to "\n" nor to "\r", so it must go before splitting.)
    static func normalizedLines(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        var previousWasCR = false
        for (i, scalar) in text.unicodeScalars.enumerated() {
            if i == 0 && scalar == "\u{FEFF}" { continue }
            if scalar == "\r" {
                scalars.append("\n")
                previousWasCR = true
                continue
            }
            if scalar == "\n" && previousWasCR { previousWasCR = false; continue }
            previousWasCR = false
            scalars.append(scalar)
        }
        return String(scalars)
    }

    /// Rows separated by `;` or newlines, values by spaces, tabs or commas; `#` comments and blank lines ignored.
    static func numberRows(_ text: String, noun: String) throws -> [[Float]] {
        var rows: [[Float]] = []
        let lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == ";" }
        for line in lines {
            let content = line.prefix { $0 != "#" }
            let fields = content.split { $0 == " " || $0 == "\t" || $0 == "," }
            if fields.isEmpty { continue }
            var row: [Float] = []
            for (column, field) in fields.enumerated() {
                guard let v = Float(field), v.isFinite else {
                    throw FilterError.invalidKernel(reason: "\(noun) row \(rows.count + 1), column \(column + 1): '\(quoted(field))' is not a finite number")
                }
                row.append(v)
            }
            rows.append(row)
        }
        guard !rows.isEmpty else { throw FilterError.invalidKernel(reason: "the \(noun) is empty: give rows of numbers such as \"1 0 1; 0 1 0; 1 0 1\"") }
        return rows
    }

    static func kernel(fromRows rows: [[Float]]) throws -> Kernel {
        try Kernel(rows)
    }

    // MARK: ImageMagick

    private static func isImageMagickGeometry(_ s: Substring) -> Bool {
        let core = s.split(separator: "+").first ?? s  // "3x3+1+1" has an origin
        // "N" or "WxH" exactly: "xx", "3x" or "3x3x3" are not geometries (the first once crashed the parser).
        let sizes = core.split(separator: "x", omittingEmptySubsequences: false)
        return (1...2).contains(sizes.count) && sizes.allSatisfy { Int($0) != nil }
    }

    static func parseImageMagick(_ text: String) throws -> Kernel {
        let colon = text.firstIndex(of: ":")!
        let geometry = text[..<colon]
        let parts = geometry.split(separator: "+")
        if parts.count > 1 {
            let size = parts[0].split(separator: "x").compactMap { Int($0) }
            let origin = parts.dropFirst().compactMap { Int($0) }
            let w = size.first ?? 0, h = size.count > 1 ? size[1] : w
            guard origin.count == 2, origin[0] == (w - 1) / 2, origin[1] == (h - 1) / 2 else {
                throw FilterError.invalidKernel(reason: "ImageMagick kernel origin '+\(parts.dropFirst().joined(separator: "+"))' is not the centre; only centred kernels are supported")
            }
        }
        let size = parts[0].split(separator: "x").compactMap { Int($0) }
        let width = size[0], height = size.count > 1 ? size[1] : size[0]
        guard width > 0, height > 0 else { throw FilterError.invalidKernel(reason: "ImageMagick kernel size '\(geometry)' must be positive") }
        let (valueCount, overflow) = width.multipliedReportingOverflow(by: height)
        guard !overflow else { throw FilterError.invalidKernel(reason: "ImageMagick kernel size '\(geometry)' is too large") }
        let fields = text[text.index(after: colon)...].split { $0 == " " || $0 == "," || $0 == "\n" || $0 == "\t" || $0 == ";" }
        var values: [Float] = []
        for (i, field) in fields.enumerated() {
            // ImageMagick writes "nan" or "-" for a weight that is not part of the kernel; we need every weight.
            guard let v = Float(field), v.isFinite else {
                throw FilterError.invalidKernel(reason: "ImageMagick kernel row \(i / width + 1), column \(i % width + 1): '\(quoted(field))' is not a finite number")
            }
            values.append(v)
        }
        guard values.count == valueCount else {
            throw FilterError.invalidKernel(reason: "ImageMagick kernel '\(geometry)' needs \(valueCount) values, but \(values.count) were given")
        }
        return try Kernel(rows: height, columns: width, values: values)
    }

    // MARK: libvips

    /// A first row `width height [scale [offset]]` whose numbers describe exactly the rows after it.
    /// (A plain kernel whose first row happens to read as its own remaining size would be taken as a header;
    /// no real kernel looks like that.)
    private static func isVipsHeader(_ header: [Float], following rows: [[Float]]) -> Bool {
        guard (2...4).contains(header.count), !rows.isEmpty,
              header[0] >= 1, header[1] >= 1, header[0] == header[0].rounded(), header[1] == header[1].rounded() else { return false }
        // Compared as Float: a header number such as 1e30 is integral but does not fit an Int.
        return header[1] == Float(rows.count) && rows.allSatisfy { Float($0.count) == header[0] }
    }

    static func parseVips(header: [Float], rows: [[Float]]) throws -> ParsedKernel {
        let width = Int(header[0]), height = Int(header[1])
        guard rows.count == height else {
            throw FilterError.invalidKernel(reason: "libvips matrix header says \(height) rows, but \(rows.count) follow")
        }
        for (i, row) in rows.enumerated() where row.count != width {
            throw FilterError.invalidKernel(reason: "libvips matrix row \(i + 1) has \(row.count) values; the header says \(width)")
        }
        let scale = header.count > 2 ? header[2] : 1
        guard scale != 0 else { throw FilterError.invalidKernel(reason: "libvips matrix scale is 0; it divides every weight, so it must not be 0") }
        var parsed = ParsedKernel(kernel: try Kernel(rows))
        parsed.divisor = scale
        parsed.offset = header.count > 3 ? header[3] : 0
        return parsed
    }

    /// A field as it may appear in a message: control characters escaped (`\u{7}`), at most 40 characters.
    static func quoted(_ field: Substring) -> String {
        let escaped = field.unicodeScalars.map { $0.properties.generalCategory == .control ? $0.escaped(asASCII: true) : String($0) }.joined()
        return escaped.count > 40 ? String(escaped.prefix(40)) + "…" : escaped
    }
}
