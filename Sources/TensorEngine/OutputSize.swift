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
public func outputSize(
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
public func outputSize(
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
public func outputSizeFormula(
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
