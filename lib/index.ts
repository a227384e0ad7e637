/**
 * analyze-face: offline face detection and 90 facial key points with the request and response of
 * Tencent Cloud IAI AnalyzeFace.
 */
export {
  analyzeFace,
  createAnalyzer,
  imageInfo,
  nativeInfo,
  Analyzer,
  DEFAULT_DETECTOR_MODEL,
  DEFAULT_SHAPE_MODEL,
  MODEL_DIR,
  concurrency,
  queueStats,
} from './analyzer.js';
export { AnalyzeFaceError, ErrorCodes, type ErrorCode } from './errors.js';
export { FACE_SHAPE_KEYS, PARTS } from './shape.js';
export type {
  AnalyzeFaceResult,
  AnalyzeOptions,
  AnalyzerOptions,
  FaceRect,
  FaceShape,
  ImageInput,
  ImageLimitsOptions,
  Mode,
  Point,
} from './types.js';
