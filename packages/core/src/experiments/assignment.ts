import { createHash } from "node:crypto";

/**
 * A point in [0, 1) derived from the experiment and the subject (contact id, or the visitor's id
 * when there is no contact): the same subject always gets the same point in one experiment
 * (sticky), and points of different experiments are independent.
 */
export function assignmentPoint(experimentId: string, subjectId: string): number {
  const digest = createHash("sha256").update(`${experimentId}\u0000${subjectId}`).digest();
  // 48 bits are plenty and stay exact in a double.
  return digest.readUIntBE(0, 6) / 2 ** 48;
}

/**
 * The variant a subject is assigned: each variant owns a share of [0, 1) proportional to its
 * weight, in the order given, and the subject's {@link assignmentPoint} picks one.
 */
export function assignVariant<V extends { key: string; weight: number }>(
  experimentId: string,
  subjectId: string,
  variants: readonly V[],
): V {
  const total = variants.reduce((sum, variant) => sum + variant.weight, 0);
  const point = assignmentPoint(experimentId, subjectId) * total;
  let upTo = 0;
  for (const variant of variants) {
    upTo += variant.weight;
    if (point < upTo) return variant;
  }
  // Rounding can leave the very top of the range: it belongs to the last variant.
  return variants[variants.length - 1] as V;
}
