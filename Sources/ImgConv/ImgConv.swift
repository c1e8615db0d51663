// The one module a Swift program imports: `import ImgConv` brings the public API of every library target.
//
// - TensorEngine: ``Tensor`` (NCHW Float32), ``conv2d(_:weight:bias:parameters:)``, pooling, padding, with
//   PyTorch's semantics.
// - ImageCodecs: ``ImageFile`` reads and writes PNG, JPEG, `.npy` and text grids.
// - ImageFilters: the named filters (``BlurFilter``, ``SharpenFilter``, ``EdgeFilter``…) and ``Kernel``.
// - ImagePipeline: ``Pipeline`` and ``FileJob``, a file through filter steps to a file, streamed by rows.
// - BatchProcessing: ``BatchRunner``, folder runs.
@_exported import TensorEngine
@_exported import ImageCodecs
@_exported import ImageFilters
@_exported import ImagePipeline
@_exported import BatchProcessing
