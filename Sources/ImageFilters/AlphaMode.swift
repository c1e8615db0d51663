/// How a filter treats an image's alpha plane (the last channel of a gray+alpha or RGBA image).
///
/// - `filter`: colour is premultiplied by alpha, colour and alpha are filtered together, and colour is
///   divided by the filtered alpha again (0 where alpha is 0). Transparent pixels then contribute nothing,
///   so a blur leaves no dark fringe around a cut-out. The default for smoothing and sharpening.
/// - `keep`: colour is filtered as stored; alpha only goes through the same geometry (stride, padding,
///   pooling) so that its size matches. The default for edge, emboss and user kernels.
/// - `drop`: alpha is removed before filtering.
public enum AlphaMode: String, CaseIterable, Sendable {
    case keep, filter, drop
}
