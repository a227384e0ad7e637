/** Tencent Cloud IAI error codes that analyzeFace() rejects with, plus ABORT_ERR. */
export const ErrorCodes = {
  ImageEmpty: 'InvalidParameterValue.ImageEmpty',
  ImageSizeExceed: 'FailedOperation.ImageSizeExceed',
  ImageDecodeFailed: 'FailedOperation.ImageDecodeFailed',
  ImageResolutionExceed: 'FailedOperation.ImageResolutionExceed',
  ImageResolutionTooSmall: 'FailedOperation.ImageResolutionTooSmall',
  NoFaceInPhoto: 'InvalidParameterValue.NoFaceInPhoto',
  InvalidParameter: 'InvalidParameter.InvalidParameter',
  ServerError: 'FailedOperation.ServerError',
  InternalError: 'InternalError',
  Aborted: 'ABORT_ERR',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

/**
 * The one error class every rejection uses. `code` is Tencent's error code string
 * (e.g. 'FailedOperation.ImageDecodeFailed'), or 'ABORT_ERR' (with name 'AbortError') when the
 * call was aborted through its AbortSignal.
 */
export class AnalyzeFaceError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = code === ErrorCodes.Aborted ? 'AbortError' : 'AnalyzeFaceError';
  }
}

/**
 * Captures the caller's stack at the public entry point (before any await or native call), so a
 * rejection later points at the user's own line (sharp's habit).
 * @private
 */
export function captureCallSite(entry: Function): { stack?: string } {
  const holder: { stack?: string } = {};
  Error.captureStackTrace(holder, entry);
  return holder;
}

/** Builds an AnalyzeFaceError whose stack is the captured call site. @private */
export function makeError(
  code: ErrorCode,
  message: string,
  site: { stack?: string },
  cause?: unknown,
): AnalyzeFaceError {
  const err = new AnalyzeFaceError(code, message, cause === undefined ? undefined : { cause });
  if (site.stack) {
    const frames = site.stack.split('\n').slice(1).join('\n');
    err.stack = `${err.name} [${code}]: ${message}\n${frames}`;
  }
  return err;
}

const KNOWN = new Set<string>(Object.values(ErrorCodes));

/** Maps the binding's {code, message} to an AnalyzeFaceError. @private */
export function fromNative(raw: unknown, site: { stack?: string }): AnalyzeFaceError {
  const r = (raw ?? {}) as { code?: unknown; message?: unknown };
  const code = typeof r.code === 'string' && KNOWN.has(r.code) ? (r.code as ErrorCode) : ErrorCodes.InternalError;
  const message = typeof r.message === 'string' && r.message.length > 0 ? r.message : 'unknown native error';
  return makeError(code, message, site);
}
