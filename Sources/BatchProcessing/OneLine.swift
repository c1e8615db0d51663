import FileNames
/// Text that must stay on one line of a terminal or a log: every error, notice and progress line.
///
/// File names may hold any byte but `/` and NUL, so a name with a newline, a carriage return or an escape
/// sequence would break a line, overwrite it or drive the terminal. ``escaped(_:)`` writes every control
/// character (C0, DEL, C1, and the line and paragraph separators U+2028/U+2029) as a Swift escape —
/// `\n`, `\r`, `\t`, `\u{1B}`. A backslash is left as it is, so text escaped once (a name that is not UTF-8,
/// written with `\xNN` by `FileNameBytes.escaped`) is not escaped again when a message holding it is printed;
/// the price is that a name really containing `\n` reads like one containing a newline. The scalars that stand
/// for the raw bytes of a name that is not UTF-8 (``FileNameBytes``) are written `\xNN`. This is the one
/// escaping function for printing: the CLI's messages and the batch runner's progress and failure lines go
/// through it.
package enum OneLine {
    package static func escaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{2028}", "\u{2029}": out += scalar.escaped(asASCII: true)
            case _ where FileNameBytes.rawByte(scalar) != nil:
                out += FileNameBytes.displayed(String(scalar))  // a raw byte of a name that is not UTF-8: \xNN
            default:
                if scalar.properties.generalCategory == .control {
                    out += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
