/// Output size of a sliding window along one axis — the single formula behind convolution and pooling.
///
///     out = ⌊(size + padBefore + padAfter − d·(k − 1) − 1) / s⌋ + 1
///
/// With `ceilMode` (pooling only) the division rounds up instead, and then PyTorch's rule applies:
/// the last window must start inside the input or the leading padding, so
///
///     if (out − 1)·s ≥ size + padBefore { out −= 1 }
///
/// The result may be zero or negative when the dilated kernel does not fit; callers turn that
/// into an ``EngineError``. Division is floor division, also for a negative numerator,
/// exactly as PyTorch's `div_rtn`.
@inlinable
package func outputSize(
    input size: Int, kernel: Int, stride: Int = 1,
    padBefore: Int = 0, padAfter: Int = 0, dilation: Int = 1, ceilMode: Bool = false
) -> Int {
    precondition(stride >= 1, "stride must be at least 1")
    let numerator = size + padBefore + padAfter - dilation * (kernel - 1) - 1
    var out = floorDivide(numerator + (ceilMode ? stride - 1 : 0), stride) + 1
    if ceilMode, (out - 1) * stride >= size + padBefore {
        out -= 1
    }
    return out
}

/// Output height and width of a sliding window over a `size.h × size.w` plane: ``outputSize(input:kernel:stride:padBefore:padAfter:dilation:ceilMode:)`` per axis.
@inlinable
package func outputSize(
    input size: Pair, kernel: Pair, stride: Pair = Pair(1),
    padding: Padding = .zero, dilation: Pair = Pair(1), ceilMode: Bool = false
) -> Pair {
    Pair(
        h: outputSize(input: size.h, kernel: kernel.h, stride: stride.h,
                      padBefore: padding.top, padAfter: padding.bottom, dilation: dilation.h, ceilMode: ceilMode),
        w: outputSize(input: size.w, kernel: kernel.w, stride: stride.w,
                      padBefore: padding.left, padAfter: padding.right, dilation: dilation.w, ceilMode: ceilMode))
}

/// The output-size formula with the numbers filled in, for the `shape` command and captions, e.g.
///
///     ⌊(227 + 2·0 − 1·(11 − 1) − 1)/4⌋ + 1 = 55
///
/// Symmetric padding is written `2·p`, asymmetric padding `pBefore + pAfter`. In ceil mode the
/// brackets are ⌈ ⌉, and when PyTorch's last-window rule removes a window the text says so.
package func outputSizeFormula(
    input size: Int, kernel: Int, stride: Int = 1,
    padBefore: Int = 0, padAfter: Int = 0, dilation: Int = 1, ceilMode: Bool = false
) -> String {
    let padText = padBefore == padAfter ? "2·\(padBefore)" : "\(padBefore) + \(padAfter)"
    let (open, close) = ceilMode ? ("⌈", "⌉") : ("⌊", "⌋")
    let result = outputSize(input: size, kernel: kernel, stride: stride, padBefore: padBefore,
                            padAfter: padAfter, dilation: dilation, ceilMode: ceilMode)
    var text = "\(open)(\(size) + \(padText) − \(dilation)·(\(kernel) − 1) − 1)/\(stride)\(close) + 1"
    if ceilMode {
        let unclipped = floorDivide(size + padBefore + padAfter - dilation * (kernel - 1) - 1 + stride - 1, stride) + 1
        if unclipped != result {
            text += " − 1 (the last window would start at \((unclipped - 1) * stride) ≥ \(size) + \(padBefore))"
        }
    }
    return text + " = \(result)"
}

/// ⌊a / b⌋ for b > 0, also when a is negative (Swift's `/` truncates toward zero).
@usableFromInline
func floorDivide(_ a: Int, _ b: Int) -> Int {
    let q = a / b
    return (a % b != 0 && a < 0) ? q - 1 : q
}

/// The output size as students are taught it, `(N − F + 2P)/S + 1`, with the quotient written before it is
/// rounded, e.g. (Stanford CS231n's exercise)
///
///     (64 − 7 + 0)/2 + 1 = 28.5 + 1 → 29
///
/// N is the input size, F the kernel, 2P the padding of both sides added up, S the stride. An exact quotient
/// ends `= 29`; otherwise `→` and the floor (⌈…⌉ in ceil mode, with PyTorch's last-window rule noted as in
/// ``outputSizeFormula(input:kernel:stride:padBefore:padAfter:dilation:ceilMode:)``). nil when `dilation` is not 1:
/// the lesson's formula has no dilation, and F would have to be read as the dilated extent d·(F − 1) + 1.
package func lessonFormula(
    input size: Int, kernel: Int, stride: Int = 1,
    padBefore: Int = 0, padAfter: Int = 0, dilation: Int = 1, ceilMode: Bool = false
) -> String? {
    guard dilation == 1, stride >= 1 else { return nil }
    let numerator = size - kernel + padBefore + padAfter
    let result = outputSize(input: size, kernel: kernel, stride: stride, padBefore: padBefore, padAfter: padAfter,
                            dilation: 1, ceilMode: ceilMode)
    let head = "(\(size) − \(kernel) + \(padBefore + padAfter))/\(stride) + 1"
    if numerator % stride == 0 { return "\(head) = \(numerator / stride) + 1 = \(result)" }
    let quotient = exactDecimal(numerator, stride)
    var text = "\(head) = \(quotient) + 1 → \(result)"
    let rounded = floorDivide(numerator + (ceilMode ? stride - 1 : 0), stride) + 1
    if ceilMode { text += rounded == result ? " (rounded up)" : " (rounded up, − 1: the last window would start in the right padding)" }
    return text
}

/// `a/b` as a decimal: exact when it ends within 3 places (`28.5`, `-0.25`), else 3 places and `…` (`18.666…`).
func exactDecimal(_ a: Int, _ b: Int) -> String {
    let negative = (a < 0) != (b < 0)
    var remainder = abs(a) % abs(b)
    var text = "\(negative ? "-" : "")\(abs(a) / abs(b))."
    for _ in 0..<3 {
        remainder *= 10
        text += String(remainder / abs(b))
        remainder %= abs(b)
        if remainder == 0 { return text }
    }
    return text + "…"
}
