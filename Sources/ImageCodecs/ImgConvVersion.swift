/// The one version number of imgconv (semantic versioning: MAJOR.MINOR.PATCH), for `imgconv --version` and
/// anything that records which imgconv made a file (such as recipe fingerprints). Bump it here only.
public enum ImgConvVersion {
    /// The version as `MAJOR.MINOR.PATCH`, e.g. `0.2.0`; `imgconv --version` prints `imgconv` and it.
    public static let current = "0.2.0"
}
