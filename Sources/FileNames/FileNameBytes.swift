/// File names are bytes; Swift strings are Unicode. A name that is not valid UTF-8 (`lat\xE9.jpg` from an old
/// Latin-1 system) cannot be held by a `String` as it is: Swift would turn the invalid bytes into U+FFFD and the
/// changed name would open or create another file. So imgconv carries every path as a *lossless* string:
///
/// - a byte ≥ 0x80 that is not part of a valid UTF-8 scalar becomes the private-use scalar U+F780 + (byte − 0x80)
///   (U+F780 … U+F7FF, one scalar per byte);
/// - so that this stays one-to-one, the bytes of a name that really holds one of those 128 scalars are escaped
///   the same way, byte by byte;
/// - every other byte sequence (all valid UTF-8 outside that range) is its own text, unchanged.
///
/// ``text(_:)`` and ``bytes(_:)`` are inverse for every byte sequence, so a name read from a folder or the command
/// line by its bytes is opened and created by the same bytes (``withPath(_:_:)`` at every system call), and a
/// name built from it (`OUT/` + the relative path) keeps them. For display, ``OneLine/escaped(_:)`` writes the escape
/// scalars as `\xNN`, so messages show exactly the bytes the name holds.
package enum FileNameBytes {
    /// The first of the 128 scalars that stand for the raw bytes 0x80 … 0xFF.
    static let escapeBase: UInt32 = 0xF780

    /// Whether `scalar` stands for a raw byte, and which.
    package static func rawByte(_ scalar: Unicode.Scalar) -> UInt8? {
        (escapeBase...(escapeBase + 0x7F)).contains(scalar.value) ? UInt8(scalar.value - escapeBase + 0x80) : nil
    }

    /// `bytes` as text when they are valid UTF-8 holding no escape scalar (their text is then the usual one), else nil.
    package static func validText(_ bytes: some Collection<UInt8>) -> String? {
        guard let text = String(validating: bytes, as: UTF8.self), !text.unicodeScalars.contains(where: { rawByte($0) != nil }) else {
            return nil
        }
        return text
    }

    /// The lossless text of a name's bytes (see the type's description).
    package static func text(_ bytes: some Collection<UInt8>) -> String {
        if let text = validText(bytes) { return text }
        let bytes = Array(bytes)
        var scalars = String.UnicodeScalarView()
        var index = 0
        while index < bytes.count {
            let lead = bytes[index]
            let length = lead < 0x80 ? 1 : lead >> 5 == 0b110 ? 2 : lead >> 4 == 0b1110 ? 3 : lead >> 3 == 0b11110 ? 4 : 0
            if length > 0, index + length <= bytes.count,
               let piece = String(validating: bytes[index..<index + length], as: UTF8.self),
               let scalar = piece.unicodeScalars.first, piece.unicodeScalars.count == 1, rawByte(scalar) == nil {
                scalars.append(scalar)
                index += length
            } else {
                scalars.append(Unicode.Scalar(escapeBase + UInt32(lead) - 0x80)!)
                index += 1
            }
        }
        return String(scalars)
    }

    /// The bytes a lossless text stands for: the inverse of ``text(_:)``.
    package static func bytes(_ text: String) -> [UInt8] {
        guard holdsRawBytes(text) else { return Array(text.utf8) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if let byte = rawByte(scalar) { bytes.append(byte) } else { bytes += Array(String(scalar).utf8) }
        }
        return bytes
    }

    /// Whether `text` stands for a name that is not plain UTF-8 (it holds an escape scalar).
    package static func holdsRawBytes(_ text: String) -> Bool {
        text.unicodeScalars.contains { rawByte($0) != nil }
    }

    /// Calls `body` with the NUL-terminated bytes of the path `text` stands for: what every system call that takes
    /// a path must be given, instead of the string's own UTF-8.
    package static func withPath<R, E: Error>(_ text: String, _ body: (UnsafePointer<CChar>) throws(E) -> R) throws(E) -> R {
        let path = bytes(text).map { CChar(bitPattern: $0) } + [0]
        return try path.withUnsafeBufferPointer { (buffer) throws(E) -> R in try body(buffer.baseAddress!) }
    }

    /// The lossless text of a NUL-terminated C path (from readdir, mkstemp, argv).
    package static func text(cString: UnsafePointer<CChar>) -> String {
        var bytes: [UInt8] = []
        var p = cString
        while p.pointee != 0 { bytes.append(UInt8(bitPattern: p.pointee)); p += 1 }
        return text(bytes)
    }

    /// `bytes` as text with every byte that is not part of valid UTF-8 written `\xNN`, for messages
    /// (control characters are left for `OneLine.escaped`, which prints every message).
    package static func escaped(_ bytes: some Collection<UInt8>) -> String {
        displayed(text(bytes))
    }

    /// A lossless text with its escape scalars written `\xNN` (the bytes they stand for).
    package static func displayed(_ text: String) -> String {
        guard holdsRawBytes(text) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            if let byte = rawByte(scalar) {
                let hex = String(byte, radix: 16, uppercase: true)
                out += "\\x" + (hex.count == 1 ? "0" : "") + hex
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
