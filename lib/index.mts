// ESM entry. It re-exports the CommonJS build so ESM and CJS users share one instance (one
// default analyzer, one loaded addon): no dual-package hazard.
import cjs from './index.js';

export const {
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
  AnalyzeFaceError,
  ErrorCodes,
  FACE_SHAPE_KEYS,
  PARTS,
} = cjs;
export type {
  AnalyzeFaceResult,
  AnalyzeOptions,
  AnalyzerOptions,
  ErrorCode,
  FaceRect,
  FaceShape,
  ImageInput,
  ImageLimitsOptions,
  Mode,
  Point,
} from './index.js';
// Instance types under the class names (the destructured constants carry only the values).
export type Analyzer = InstanceType<typeof Analyzer>;
export type AnalyzeFaceError = InstanceType<typeof AnalyzeFaceError>;
