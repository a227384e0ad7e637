import { ErrorCodes, makeError } from './errors.js';
import type { AnalyzeOptions, AnalyzerOptions, Mode } from './types.js';

/** Defaults, in one place. */
export const DEFAULT_MAX_INPUT_BYTES = 5 * 1024 * 1024;
export const DEFAULT_MAX_LONG_SIDE = 8192;
export const DEFAULT_MAX_PIXELS = 40_000_000;
export const DEFAULT_MIN_SHORT_SIDE = 32;
export const DEFAULT_MIN_FACE_SIZE = 40;
export const MAX_FACES = 10;

/** Plain, frozen, fully defaulted options: what crosses into the binding. @private */
export interface NormalizedOptions {
  readonly mode: Mode;
  readonly maxFaces: number;
  readonly withFaceRect: boolean;
  readonly minFaceSize: number;
  readonly maxInputBytes: number;
  readonly maxLongSide: number;
  readonly maxPixels: number;
  readonly minShortSide: number;
  readonly signal: AbortSignal | undefined;
}

/** Thrown inside normalization; converted to a rejection by the caller. @private */
export class OptionError extends Error {}

const OPTION_KEYS = ['maxFaces', 'signal', 'limits', 'withFaceRect', 'minFaceSize'] as const;
const LIMIT_KEYS = ['maxInputBytes', 'maxLongSide', 'maxPixels', 'minShortSide'] as const;
const ANALYZER_KEYS = ['shapeModel', 'detectorModel'] as const;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `'${value.length > 40 ? value.slice(0, 40) + '…' : value}' of type string`;
  if (typeof value === 'object') return `a value of type ${Array.isArray(value) ? 'array' : 'object'}`;
  return `${String(value)} of type ${typeof value}`;
}

/** sharp-style message: "Expected <expected> for <name> but received <value>". @private */
export function invalid(name: string, expected: string, actual: unknown): OptionError {
  return new OptionError(`Expected ${expected} for ${name} but received ${describe(actual)}`);
}

function closest(key: string, known: readonly string[]): string | undefined {
  const k = key.toLowerCase();
  return known.find((c) => c.toLowerCase() === k || c.toLowerCase().startsWith(k) || k.startsWith(c.toLowerCase()));
}

function checkKeys(obj: object, known: readonly string[], where: string): void {
  for (const key of Object.keys(obj)) {
    if (!known.includes(key)) {
      const hint = closest(key, known);
      throw new OptionError(
        `Unknown option '${key}' in ${where}${hint ? ` (did you mean '${hint}'?)` : ''}; known options: ${known.join(', ')}`,
      );
    }
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function intInRange(name: string, v: unknown, lo: number, hi: number, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) {
    throw invalid(name, `an integer between ${lo} and ${hi}`, v);
  }
  return v;
}

/** Validates and defaults the `mode` argument and the options object, once. @private */
export function normalizeOptions(mode: unknown, options: unknown): NormalizedOptions {
  // 1. mode
  let m: Mode = 0;
  if (mode !== undefined) {
    if (mode !== 0 && mode !== 1) throw invalid('mode', '0 (all faces) or 1 (largest face)', mode);
    m = mode;
  }
  // 2. options object and its keys
  if (options === undefined || options === null) options = {};
  if (!isPlainObject(options)) throw invalid('options', 'an object', options);
  checkKeys(options, OPTION_KEYS, 'options');
  const o = options as AnalyzeOptions & Record<string, unknown>;
  // 3. each option
  const maxFaces = intInRange('maxFaces', o.maxFaces, 1, MAX_FACES, MAX_FACES);
  if (o.withFaceRect !== undefined && typeof o.withFaceRect !== 'boolean') {
    throw invalid('withFaceRect', 'a boolean', o.withFaceRect);
  }
  let minFaceSize = DEFAULT_MIN_FACE_SIZE;
  if (o.minFaceSize !== undefined) {
    if (typeof o.minFaceSize !== 'number' || !Number.isFinite(o.minFaceSize) || o.minFaceSize < 20 || o.minFaceSize > 100000) {
      throw invalid('minFaceSize', 'a number between 20 and 100000', o.minFaceSize);
    }
    minFaceSize = o.minFaceSize;
  }
  const signal = o.signal;
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw invalid('signal', 'an AbortSignal', signal);
  }
  // 4. limits
  let limits: Record<string, unknown> = {};
  if (o.limits !== undefined) {
    if (!isPlainObject(o.limits)) throw invalid('limits', 'an object', o.limits);
    checkKeys(o.limits, LIMIT_KEYS, 'options.limits');
    limits = o.limits;
  }
  const maxInputBytes = intInRange('limits.maxInputBytes', limits.maxInputBytes, 1, 2 ** 31 - 1, DEFAULT_MAX_INPUT_BYTES);
  const maxLongSide = intInRange('limits.maxLongSide', limits.maxLongSide, 1, 65535, DEFAULT_MAX_LONG_SIDE);
  const maxPixels = intInRange('limits.maxPixels', limits.maxPixels, 1, 2 ** 32, DEFAULT_MAX_PIXELS);
  const minShortSide = intInRange('limits.minShortSide', limits.minShortSide, 1, 65535, DEFAULT_MIN_SHORT_SIDE);
  if (minShortSide > maxLongSide) {
    throw new OptionError(`limits.minShortSide (${minShortSide}) must not exceed limits.maxLongSide (${maxLongSide})`);
  }
  return Object.freeze({
    mode: m,
    maxFaces: m === 1 ? 1 : maxFaces,
    withFaceRect: o.withFaceRect === true,
    minFaceSize,
    maxInputBytes,
    maxLongSide,
    maxPixels,
    minShortSide,
    signal,
  });
}

/** Validates createAnalyzer()'s options (model paths). @private */
export function normalizeAnalyzerOptions(options: unknown, site: { stack?: string }): AnalyzerOptions {
  if (options === undefined || options === null) return {};
  try {
    if (!isPlainObject(options)) throw invalid('options', 'an object', options);
    checkKeys(options, ANALYZER_KEYS, 'createAnalyzer options');
    for (const key of ANALYZER_KEYS) {
      const v = options[key];
      if (v !== undefined && (typeof v !== 'string' || v.length === 0)) throw invalid(key, 'a non-empty file path string', v);
    }
  } catch (e) {
    if (e instanceof OptionError) throw makeError(ErrorCodes.InvalidParameter, e.message, site);
    throw e;
  }
  return options as AnalyzerOptions;
}
