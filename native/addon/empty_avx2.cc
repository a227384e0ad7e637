// Placeholder so binding.gyp's AVX2 library is never empty (see gyp-sources.js).
namespace af_addon { int kEmptyAvx2Placeholder = 0; }
