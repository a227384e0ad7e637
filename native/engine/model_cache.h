// The process-wide cache of loaded analyzers.
//
// WHAT THIS REPRESENTS
//   A map from (detector path, shape path) to a loaded, immutable Analyzer. The first request
//   for a pair loads it; later requests (from any thread, any Node environment or worker thread)
//   get the same std::shared_ptr<const Analyzer>. Entries live until the process exits or
//   ClearAnalyzerCache() is called; a job that holds a shared_ptr keeps its models alive even
//   after the entry is dropped.
// THREAD SAFETY
//   All functions are thread-safe. Loading a pair happens outside the cache lock, so a slow load
//   does not block requests for other pairs; concurrent first requests for the same pair wait for
//   one load and share its outcome. A failed load is not cached (the next request retries).
#ifndef ANALYZE_FACE_ENGINE_MODEL_CACHE_H_
#define ANALYZE_FACE_ENGINE_MODEL_CACHE_H_

#include <cstddef>
#include <memory>
#include <string>

#include "common/status.h"
#include "engine/analyzer.h"

namespace af {

/*!  ensures - on success *out holds the shared analyzer for this pair of paths (loaded now or
               earlier); on failure *out is unchanged and the status says which file failed  !*/
Status GetSharedAnalyzer(const std::string& detector_path, const std::string& shape_path,
                         std::shared_ptr<const Analyzer>* out);

// Number of loaded pairs (tests).
size_t AnalyzerCacheSize();

// Drops every entry (jobs in flight keep their own references).
void ClearAnalyzerCache();

}  // namespace af

#endif  // ANALYZE_FACE_ENGINE_MODEL_CACHE_H_
