import * as fs from 'node:fs';
import * as path from 'node:path';

/** The package root: dist/ sits one level below it. @private */
export const PACKAGE_ROOT = path.resolve(__dirname, '..');

/** Shape of the native binding (native/addon). @private */
export interface NativeError {
  code: string;
  message: string;
  imageWidth?: number;
  imageHeight?: number;
}
export interface NativeResult {
  width: number;
  height: number;
  points: Float32Array;
  boxes: Float32Array;
  scores: Float32Array;
}
export interface NativeAnalyzeOptions {
  mode: number;
  maxFaces: number;
  minFaceSize: number;
  maxLongSide: number;
  maxPixels: number;
  minShortSide: number;
  detectorModel: string;
  shapeModel: string;
}
export interface Binding {
  analyze(
    input: Uint8Array,
    options: NativeAnalyzeOptions,
    callback: (err: NativeError | null, result?: NativeResult) => void,
  ): () => void;
  loadModels(options: { detectorModel: string; shapeModel: string }, callback: (err: NativeError | null) => void): void;
  imageInfo(
    input: Uint8Array,
    limits: { maxLongSide?: number; maxPixels?: number; minShortSide?: number },
  ): { format: string; width: number; height: number } | { error: NativeError };
  info(): { engine: boolean; avx2: boolean; napiVersion: number; cachedModels: number; inFlight: number };
}

let cached: Binding | undefined;

/**
 * Loads the addon once per environment. ANALYZE_FACE_BINARY may name a .node file to load
 * instead (tests use it to check each build); otherwise node-gyp-build picks build/Release/ or
 * prebuilds/<platform>-<arch>/.
 * @private
 */
export function binding(): Binding {
  if (cached) return cached;
  const override = process.env.ANALYZE_FACE_BINARY;
  try {
    if (override) {
      cached = require(path.resolve(override)) as Binding;
    } else {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const load = require('node-gyp-build') as (dir: string) => Binding;
      cached = load(PACKAGE_ROOT);
    }
  } catch (e) {
    const where = override ?? `${path.join(PACKAGE_ROOT, 'build', 'Release')} or ${path.join(PACKAGE_ROOT, 'prebuilds', `${process.platform}-${process.arch}`)}`;
    const hasPrebuild = fs.existsSync(path.join(PACKAGE_ROOT, 'prebuilds', `${process.platform}-${process.arch}`));
    const fix = hasPrebuild
      ? 'The prebuilt binary did not load on this system; build from source with `npm rebuild analyze-face` (needs cmake or python3, g++, libjpeg-dev, libpng-dev, zlib1g-dev).'
      : `No prebuilt binary for ${process.platform}-${process.arch}; build from source with \`npm rebuild analyze-face\` (needs python3, g++, libjpeg-dev, libpng-dev, zlib1g-dev).`;
    const err = new Error(`analyze-face: could not load the native addon from ${where}. ${fix}\n${(e as Error).message}`);
    (err as Error & { cause?: unknown }).cause = e;
    throw err;
  }
  return cached;
}
