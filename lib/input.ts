import { ErrorCodes, type ErrorCode } from './errors.js';
import { OptionError, type NormalizedOptions } from './options.js';

/** An input problem found in JS, before the native call. @private */
export class InputError extends Error {
  constructor(readonly code: ErrorCode, message: string) {
    super(message);
  }
}

const DATA_URI = /^data:[^,;]*(;[^,;]*)*;base64,/i;
const BASE64 = /^[A-Za-z0-9+/\-_]*={0,2}$/;

function mb(n: number): string {
  return `${(n / (1024 * 1024)).toFixed(2)} MiB`;
}

/**
 * Turns the `image` argument into bytes, enforcing the byte-size limit.
 * - Buffer / Uint8Array: used as is (the binding copies it before queuing the job).
 * - string: base64 (standard or URL-safe alphabet, optional `data:...;base64,` prefix, line
 *   breaks allowed). The limit applies to the string's length, as Tencent's 5 MB base64 rule.
 * @private
 */
export function toBytes(image: unknown, o: NormalizedOptions): Uint8Array {
  if (typeof image === 'string') {
    if (image.length > o.maxInputBytes) {
      throw new InputError(
        ErrorCodes.ImageSizeExceed,
        `the base64 image is ${mb(image.length)} (${image.length} characters): the limit is ${o.maxInputBytes} characters (limits.maxInputBytes)`,
      );
    }
    const text = image.replace(DATA_URI, '').replace(/\s+/g, '');
    if (text.length === 0) throw new InputError(ErrorCodes.ImageEmpty, 'the image is empty (an empty base64 string)');
    if (!BASE64.test(text) || text.length % 4 === 1) {
      throw new InputError(
        ErrorCodes.ImageDecodeFailed,
        'the image string is not valid base64 (pass a Buffer for raw bytes; file paths are not accepted)',
      );
    }
    return Buffer.from(text, text.includes('-') || text.includes('_') ? 'base64url' : 'base64');
  }
  if (image instanceof Uint8Array) {
    if (image.byteLength === 0) throw new InputError(ErrorCodes.ImageEmpty, 'the image is empty (0 bytes)');
    if (image.byteLength > o.maxInputBytes) {
      throw new InputError(
        ErrorCodes.ImageSizeExceed,
        `the image is ${mb(image.byteLength)} (${image.byteLength} bytes): the limit is ${o.maxInputBytes} bytes (limits.maxInputBytes)`,
      );
    }
    return image;
  }
  if (image === undefined || image === null) {
    throw new InputError(ErrorCodes.ImageEmpty, 'no image given: pass a Buffer, a Uint8Array or a base64 string');
  }
  throw new OptionError(
    `Expected a Buffer, a Uint8Array or a base64 string for image but received a value of type ${Array.isArray(image) ? 'array' : typeof image}`,
  );
}
