/** A key point in image pixels (integers, origin top-left, no EXIF rotation applied). */
export interface Point {
  X: number;
  Y: number;
}

/** Face box (only with `withFaceRect: true`): integers, image pixels. */
export interface FaceRect {
  X: number;
  Y: number;
  Width: number;
  Height: number;
}

/**
 * The 90 points of one face, in Tencent's JSON field order. "Left"/"Right" are the viewer's:
 * LeftEye is the eye on the image's left side.
 */
export interface FaceShape {
  /** 21 points: jaw line from the image-left end at eye height, 10 = chin, 20 = image-right end. */
  FaceProfile: Point[];
  /** 8 points: outer corner, lower lid inward, inner corner, upper lid back outward. */
  LeftEye: Point[];
  /** 8 points, mirror of LeftEye. */
  RightEye: Point[];
  /** 8 points: outer end, lower edge inward, inner end, upper edge back outward. */
  LeftEyeBrow: Point[];
  /** 8 points, mirror of LeftEyeBrow. */
  RightEyeBrow: Point[];
  /** 22 points: outer lip contour (0..11) then inner lip contour (12..21). */
  Mouth: Point[];
  /** 13 points: 0 tip, 1 bridge top, sides and bottom. */
  Nose: Point[];
  /** 1 point: iris centre of the image-left eye. */
  LeftPupil: Point[];
  /** 1 point: iris centre of the image-right eye. */
  RightPupil: Point[];
  /** Only with `withFaceRect: true`: the face box. */
  FaceRect?: FaceRect;
  /** Only with `withFaceRect: true`: the detector's score (> 0; higher = more confident). */
  Score?: number;
}

export interface AnalyzeFaceResult {
  ImageWidth: number;
  ImageHeight: number;
  /** Largest face first. Mode 0: up to `maxFaces` (≤ 10) faces; Mode 1: exactly one. */
  FaceShapeSet: FaceShape[];
}

/** Input limits. Checked before any pixel buffer is allocated. */
export interface ImageLimitsOptions {
  /**
   * Largest accepted input, in bytes. A base64 string is measured by its length (Tencent's
   * rule: at most 5 MB of base64), a Buffer/Uint8Array by its byte length. Default 5 MiB
   * (5 * 1024 * 1024) for both.
   */
  maxInputBytes?: number;
  /** Longest accepted image side in pixels. Default 8192. */
  maxLongSide?: number;
  /** Most accepted pixels (width × height). Default 40 000 000. */
  maxPixels?: number;
  /** Shortest accepted image side in pixels. Default 32. */
  minShortSide?: number;
}

export interface AnalyzeOptions {
  /** Mode 0 only: at most this many faces (1..10). Default 10. */
  maxFaces?: number;
  /** Rejects with an AbortError (code 'ABORT_ERR') when aborted before the result is delivered. */
  signal?: AbortSignal;
  /** Input limits (see ImageLimitsOptions). */
  limits?: ImageLimitsOptions;
  /** Adds `FaceRect` and `Score` to every face. Default false (exactly Tencent's shape). */
  withFaceRect?: boolean;
  /** Smallest face side searched, in pixels (>= 20). Default 40. */
  minFaceSize?: number;
}

export interface AnalyzerOptions {
  /** Path of a shape model (.afm). Default: the package's models/shape90.afm. */
  shapeModel?: string;
  /** Path of a detector model (.afm). Default: the package's models/detector.afm. */
  detectorModel?: string;
}

export type Mode = 0 | 1;

/** Everything analyzeFace() accepts as an image: raw file bytes or their base64 text. */
export type ImageInput = Buffer | Uint8Array | string;
