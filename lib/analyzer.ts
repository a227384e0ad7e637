import * as path from 'node:path';

import { binding, PACKAGE_ROOT, type NativeError, type NativeResult } from './binding.js';
import { AnalyzeFaceError, captureCallSite, ErrorCodes, fromNative, makeError } from './errors.js';
import { InputError, toBytes } from './input.js';
import { normalizeAnalyzerOptions, normalizeOptions, OptionError, type NormalizedOptions } from './options.js';
import { toFaceShape } from './shape.js';
import type { AnalyzeFaceResult, AnalyzeOptions, AnalyzerOptions, FaceShape, ImageInput, Mode } from './types.js';

/** Where the default models live: models/ in the package root. */
export const DEFAULT_DETECTOR_MODEL = path.join(PACKAGE_ROOT, 'models', 'detector.afm');
export const DEFAULT_SHAPE_MODEL = path.join(PACKAGE_ROOT, 'models', 'shape90.afm');

function abortError(signal: AbortSignal, site: { stack?: string }): AnalyzeFaceError {
  return makeError(ErrorCodes.Aborted, 'the analyzeFace() call was aborted', site, signal.reason);
}

function buildResult(r: NativeResult, o: NormalizedOptions): AnalyzeFaceResult {
  const faces: FaceShape[] = [];
  const n = r.scores.length;
  for (let i = 0; i < n; i++) {
    const shape = toFaceShape(r.points, i);
    if (o.withFaceRect) {
      const x = r.boxes[4 * i], y = r.boxes[4 * i + 1], w = r.boxes[4 * i + 2], h = r.boxes[4 * i + 3];
      shape.FaceRect = {
        X: Math.round(x) || 0,
        Y: Math.round(y) || 0,
        Width: Math.round(w) || 0,
        Height: Math.round(h) || 0,
      };
      shape.Score = Math.round(r.scores[i] * 1000) / 1000;
    }
    faces.push(shape);
  }
  return { ImageWidth: r.width, ImageHeight: r.height, FaceShapeSet: faces };
}

/**
 * A pair of models (detector + 90-point shape predictor). Models are loaded on first use (or by
 * load()) into a process-wide cache keyed by their paths, so every Analyzer, every call and every
 * worker thread using the same files shares one immutable copy.
 */
export class Analyzer {
  readonly detectorModel: string;
  readonly shapeModel: string;

  constructor(options: AnalyzerOptions = {}) {
    this.detectorModel = path.resolve(options.detectorModel ?? DEFAULT_DETECTOR_MODEL);
    this.shapeModel = path.resolve(options.shapeModel ?? DEFAULT_SHAPE_MODEL);
  }

  /**
   * Loads the models now (off the main thread) instead of on the first analyzeFace() call.
   * Rejects with code FailedOperation.ServerError when a model file is missing or invalid.
   */
  load(): Promise<void> {
    const site = captureCallSite(this.load);
    return new Promise((resolve, reject) => {
      binding().loadModels({ detectorModel: this.detectorModel, shapeModel: this.shapeModel }, (err) => {
        if (err) reject(fromNative(err, site));
        else resolve();
      });
    });
  }

  /**
   * Finds faces and their 90 key points, like Tencent Cloud IAI AnalyzeFace.
   * @param image JPEG, PNG or BMP file bytes (Buffer/Uint8Array), or their base64 text.
   * @param mode 0 (default): every face, at most 10 (`maxFaces`), largest first; 1: the largest.
   * @param options maxFaces, signal, limits, withFaceRect, minFaceSize.
   * @example
   *   const { FaceShapeSet } = await analyzer.analyzeFace(fs.readFileSync('photo.jpg'), 1);
   */
  analyzeFace(image: ImageInput, mode?: Mode, options?: AnalyzeOptions): Promise<AnalyzeFaceResult> {
    return this.run(image, mode, options, captureCallSite(this.analyzeFace));
  }

  /** @private */
  run(image: unknown, mode: unknown, options: unknown, site: { stack?: string }): Promise<AnalyzeFaceResult> {
    let o: NormalizedOptions;
    let bytes: Uint8Array;
    try {
      o = normalizeOptions(mode, options);
      if (o.signal?.aborted) return Promise.reject(abortError(o.signal, site));
      bytes = toBytes(image, o);
    } catch (e) {
      if (e instanceof OptionError) return Promise.reject(makeError(ErrorCodes.InvalidParameter, e.message, site));
      if (e instanceof InputError) return Promise.reject(makeError(e.code, e.message, site));
      return Promise.reject(e);
    }
    const signal = o.signal;
    return new Promise<AnalyzeFaceResult>((resolve, reject) => {
      let settled = false;
      let cancel: (() => void) | undefined;
      const onAbort = (): void => {
        if (settled) return;
        settled = true;
        cancel?.();
        reject(abortError(signal as AbortSignal, site));
      };
      const done = (err: NativeError | null, result?: NativeResult): void => {
        signal?.removeEventListener('abort', onAbort);
        if (settled) return; // aborted: the result (or error) is dropped
        settled = true;
        if (err) {
          reject(fromNative(err, site));
          return;
        }
        try {
          resolve(buildResult(result as NativeResult, o));
        } catch (e) {
          reject(makeError(ErrorCodes.InternalError, `could not build the result: ${(e as Error).message}`, site));
        }
      };
      try {
        cancel = binding().analyze(
          bytes,
          {
            mode: o.mode,
            maxFaces: o.maxFaces,
            minFaceSize: o.minFaceSize,
            maxLongSide: o.maxLongSide,
            maxPixels: o.maxPixels,
            minShortSide: o.minShortSide,
            detectorModel: this.detectorModel,
            shapeModel: this.shapeModel,
          },
          done,
        );
      } catch (e) {
        settled = true;
        reject(makeError(ErrorCodes.InternalError, (e as Error).message, site, e));
        return;
      }
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

/**
 * Creates an analyzer for other model files. Paths are resolved against the current directory.
 * @example
 *   const a = createAnalyzer({ shapeModel: './my-shape.afm' });
 *   await a.load();
 */
export function createAnalyzer(options?: AnalyzerOptions): Analyzer {
  return new Analyzer(normalizeAnalyzerOptions(options, captureCallSite(createAnalyzer)));
}

let defaultAnalyzer: Analyzer | undefined;

/** The analyzer with the package's own models (created on first use). */
export function getDefaultAnalyzer(): Analyzer {
  defaultAnalyzer ??= new Analyzer();
  return defaultAnalyzer;
}

/**
 * Finds faces and their 90 key points with the package's default models (Tencent Cloud IAI
 * AnalyzeFace's request and response, offline).
 * @param image JPEG, PNG or BMP file bytes (Buffer/Uint8Array), or their base64 text.
 * @param mode 0 (default): every face, at most 10, largest first; 1: only the largest.
 * @param options maxFaces, signal, limits, withFaceRect, minFaceSize.
 * @example
 *   const { analyzeFace } = require('analyze-face');
 *   const r = await analyzeFace(fs.readFileSync('group.jpg'), 0, { maxFaces: 5 });
 *   console.log(r.FaceShapeSet[0].LeftPupil[0]);
 */
export function analyzeFace(image: ImageInput, mode?: Mode, options?: AnalyzeOptions): Promise<AnalyzeFaceResult> {
  return getDefaultAnalyzer().run(image, mode, options, captureCallSite(analyzeFace));
}

/**
 * Reads only the image header: format and size, with the limits checked (no pixel decoding).
 * Rejects with the same codes as analyzeFace() for image problems.
 */
export function imageInfo(
  image: ImageInput,
  options?: Pick<AnalyzeOptions, 'limits'>,
): Promise<{ format: string; width: number; height: number }> {
  const site = captureCallSite(imageInfo);
  try {
    const o = normalizeOptions(0, options);
    const bytes = toBytes(image, o);
    const r = binding().imageInfo(bytes, { maxLongSide: o.maxLongSide, maxPixels: o.maxPixels, minShortSide: o.minShortSide });
    if ('error' in r) return Promise.reject(fromNative(r.error, site));
    return Promise.resolve(r);
  } catch (e) {
    if (e instanceof OptionError) return Promise.reject(makeError(ErrorCodes.InvalidParameter, e.message, site));
    if (e instanceof InputError) return Promise.reject(makeError(e.code, e.message, site));
    return Promise.reject(e);
  }
}

/** Build facts: whether the face engine is compiled in, AVX2 in use, models cached. */
export function nativeInfo(): ReturnType<ReturnType<typeof binding>['info']> {
  return binding().info();
}
