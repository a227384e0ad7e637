import * as os from 'node:os';
import * as path from 'node:path';

import { binding, PACKAGE_ROOT, type NativeError, type NativeResult } from './binding.js';
import { AnalyzeFaceError, captureCallSite, ErrorCodes, fromNative, makeError } from './errors.js';
import { InputError, toBytes } from './input.js';
import { normalizeAnalyzerOptions, normalizeOptions, OptionError, type NormalizedOptions } from './options.js';
import { toFaceShape } from './shape.js';
import type { AnalyzeFaceResult, AnalyzeOptions, AnalyzerOptions, FaceShape, ImageInput, Mode } from './types.js';

/**
 * Where the default models live: models/ in the package root, or the folder named by the
 * ANALYZE_FACE_MODEL_DIR environment variable (read once, at load; e.g. an Electron app's
 * app.asar.unpacked/node_modules/analyze-face/models).
 */
export const MODEL_DIR = process.env.ANALYZE_FACE_MODEL_DIR
  ? path.resolve(process.env.ANALYZE_FACE_MODEL_DIR)
  : path.join(PACKAGE_ROOT, 'models');
export const DEFAULT_DETECTOR_MODEL = path.join(MODEL_DIR, 'detector.afm');
export const DEFAULT_SHAPE_MODEL = path.join(MODEL_DIR, 'shape90.afm');

// ---- scheduling -------------------------------------------------------------------------------
// Native jobs run on libuv's thread pool (4 threads by default). Face detection is CPU-bound, so
// running more jobs than cores only makes them compete with the main thread (event-loop delay)
// and with file-system work that shares the pool. At most `concurrency` jobs of this environment
// are queued natively at once (default: cores − 1, at least 1); the rest wait in a JS queue,
// where an AbortSignal removes them without native work.
let maxConcurrency = Math.max(1, (typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length) - 1);
let running = 0;
const waiting: Array<() => void> = [];

/** Starts now (true) or queues (false). */
function schedule(start: () => void): boolean {
  if (running < maxConcurrency) {
    running++;
    start();
    return true;
  }
  waiting.push(start);
  return false;
}

function drain(): void {
  while (running < maxConcurrency && waiting.length > 0) {
    running++;
    (waiting.shift() as () => void)();
  }
}

function release(): void {
  running--;
  drain();
}

/**
 * Gets or sets how many analyses of this thread run natively at once (1..64). Returns the value
 * in force. Jobs over the limit wait in order.
 */
export function concurrency(n?: number): number {
  if (n !== undefined) {
    if (!Number.isInteger(n) || n < 1 || n > 64) {
      throw new AnalyzeFaceError(ErrorCodes.InvalidParameter, `Expected an integer between 1 and 64 for concurrency but received ${String(n)}`);
    }
    maxConcurrency = n;
    drain();
  }
  return maxConcurrency;
}

/** Jobs of this thread: running natively and waiting in the JS queue. */
export function queueStats(): { running: number; waiting: number } {
  return { running, waiting: waiting.length };
}

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
      const start = (): void => {
        if (settled) {
          release(); // aborted while waiting: no native work at all
          return;
        }
        try {
          cancel = binding().analyze(
            input,
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
            (err, result) => {
              release();
              done(err, result);
            },
          );
        } catch (e) {
          release();
          signal?.removeEventListener('abort', onAbort);
          if (!settled) {
            settled = true;
            reject(makeError(ErrorCodes.InternalError, (e as Error).message, site, e));
          }
        }
      };
      // The binding copies the bytes when the job starts; a job that has to wait takes its copy
      // now, so the caller may reuse its buffer as soon as analyzeFace() returns.
      let input = bytes;
      signal?.addEventListener('abort', onAbort, { once: true });
      // (Uint8Array's slice copies; Buffer's slice would be a view.)
      if (!schedule(start) && typeof image !== 'string') input = Uint8Array.prototype.slice.call(bytes);
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
