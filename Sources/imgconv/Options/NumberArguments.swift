import ArgumentParser
import Foundation
import TensorEngine

/// The one reader of numbers typed as option values, used by every numeric option of every command (and
/// so of every pipeline step): `@Option(transform: NumberArgument.float)` / `NumberArgument.integer`.
///
/// - Real numbers must be finite: `nan`, `inf`, `-infinity` and anything that overflows Float (`1e39`)
///   are refused, so no option can turn every output black or white or poison a sum.
/// - Integers must lie within ±(2³¹ − 1) (``Pair/maxParsedValue``), as pairs and paddings do: far beyond any
///   image, and small enough that the tool's size arithmetic cannot overflow.
/// - Spaces around the number are allowed; spaces inside it are not (`"1 2"` is not 12).
///
/// A refusal is a `ValidationError`: the argument parser prints it with the option's name and exits 64.
enum NumberArgument {
    static func float(_ text: String) throws -> Float {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let value = Float(trimmed) else {
            throw ValidationError("'\(trimmed)' is not a number")
        }
        guard value.isFinite else {
            throw ValidationError("'\(trimmed)' is not a finite number (NaN and infinities are refused)")
        }
        return value
    }

    static func integer(_ text: String) throws -> Int {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let value = Int(trimmed) else {
            if Float(trimmed) != nil, trimmed.allSatisfy({ $0.isNumber || $0 == "-" || $0 == "+" }) {
                throw ValidationError("'\(trimmed)' is too large: at most ±\(Pair.maxParsedValue)")
            }
            throw ValidationError("'\(trimmed)' is not a whole number")
        }
        guard abs(value) <= Pair.maxParsedValue else {
            throw ValidationError("'\(trimmed)' is too large: at most ±\(Pair.maxParsedValue)")
        }
        return value
    }
}
