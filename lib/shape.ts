import type { FaceShape, Point } from './types.js';

/** Part ranges in the model's point index order (../docs: the 90-point layout). */
export const PARTS = {
  FaceProfile: [0, 21],
  LeftEyeBrow: [21, 29],
  RightEyeBrow: [29, 37],
  LeftEye: [37, 45],
  RightEye: [45, 53],
  Nose: [53, 66],
  Mouth: [66, 88],
  LeftPupil: [88, 89],
  RightPupil: [89, 90],
} as const;

export const NUM_POINTS = 90;

/** Tencent's JSON field order of a FaceShape. */
export const FACE_SHAPE_KEYS = [
  'FaceProfile',
  'LeftEye',
  'RightEye',
  'LeftEyeBrow',
  'RightEyeBrow',
  'Mouth',
  'Nose',
  'LeftPupil',
  'RightPupil',
] as const;

function part(points: Float32Array, base: number, range: readonly [number, number]): Point[] {
  const out: Point[] = [];
  for (let i = range[0]; i < range[1]; i++) {
    // Round to nearest; Math.round(-0.4) is -0, normalise it.
    out.push({ X: Math.round(points[base + 2 * i]) || 0, Y: Math.round(points[base + 2 * i + 1]) || 0 });
  }
  return out;
}

/** One face's 90 points (flat x, y pairs from `base`) → FaceShape in Tencent's key order. @private */
export function toFaceShape(points: Float32Array, face: number): FaceShape {
  const base = face * NUM_POINTS * 2;
  const shape = {} as FaceShape;
  for (const key of FACE_SHAPE_KEYS) shape[key] = part(points, base, PARTS[key]);
  return shape;
}
