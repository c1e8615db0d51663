/// File names are bytes; Swift strings are Unicode. A name that is not valid UTF-8 cannot be carried in a
/// `String` without being changed (invalid bytes become U+FFFD), and the changed name would open or create
/// another file. Until paths are carried as bytes end to end, such names are refused by name, shown escaped.
public enum FileNameBytes {
    /// `bytes` as text when they are valid UTF-8, else nil.
    public static func validText(_ bytes: some Collection<UInt8>) -> String? {
        String(validating: bytes, as: UTF8.self)
    }

    /// `bytes` as text with every byte that is not part of valid UTF-8 written `\xNN` (control characters are
    /// left for `OneLine.escaped`, which prints every message), so
    /// that a message shows exactly which bytes the name holds.
    public static func escaped(_ bytes: some Collection<UInt8>) -> String {
        let bytes = Array(bytes)
        var text = ""
        var index = 0
        while index < bytes.count {
            let lead = bytes[index]
            let length = lead < 0x80 ? 1 : lead >> 5 == 0b110 ? 2 : lead >> 4 == 0b1110 ? 3 : lead >> 3 == 0b11110 ? 4 : 0
            if length > 0, index + length <= bytes.count,
               let scalar = String(validating: bytes[index..<index + length], as: UTF8.self) {
                text += scalar
                index += length
            } else {
                let hex = String(lead, radix: 16, uppercase: true)
                text += "\\x" + (hex.count == 1 ? "0" : "") + hex
                index += 1
            }
        }
        return text
    }
}
