/// <reference path="./jstat.d.ts" />
import jstat from "jstat";

// jstat is CommonJS: Node's ESM loader only offers its default export.
const { jStat } = jstat;

/** z of a two-sided 95% interval (the 97.5th percentile of the standard normal). */
export const Z_95 = 1.959963984540054;
/** z of 80% power (the 80th percentile of the standard normal). */
const Z_80 = 0.8416212335729143;

/** Standard normal CDF. */
export const normalCdf = (z: number): number => jStat.normal.cdf(z, 0, 1);

/**
 * Wilson score interval of a proportion at 95%: unlike the normal (Wald) interval it stays inside
 * [0, 1] and is not degenerate at 0 or n successes. With no trials it is the whole [0, 1].
 */
export function wilsonInterval(successes: number, trials: number, z = Z_95): [number, number] {
  if (trials === 0) return [0, 1];
  const p = successes / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / denominator;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/** A variant's observed counts. */
export interface Counts {
  conversions: number;
  conversations: number;
}

/**
 * Two-sided two-proportion z-test with the pooled standard error: `z` is positive when `b`
 * converts better than `a`. Null when a side has no conversations or nobody (or everybody)
 * converted on both sides, where the test says nothing.
 */
export function twoProportionZTest(a: Counts, b: Counts): { z: number; pValue: number } | null {
  if (a.conversations === 0 || b.conversations === 0) return null;
  const pooled = (a.conversions + b.conversions) / (a.conversations + b.conversations);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / a.conversations + 1 / b.conversations));
  if (se === 0) return null;
  const z = (b.conversions / b.conversations - a.conversions / a.conversations) / se;
  return { z, pValue: Math.min(1, 2 * (1 - normalCdf(Math.abs(z)))) };
}

/** Simpson's rule over [from, to] with `intervals` (even) intervals. */
function simpson(f: (x: number) => number, from: number, to: number, intervals: number): number {
  const h = (to - from) / intervals;
  let sum = f(from) + f(to);
  for (let index = 1; index < intervals; index += 1) sum += (index % 2 === 1 ? 4 : 2) * f(from + index * h);
  return (sum * h) / 3;
}

/**
 * Bayesian probability that `b`'s true rate exceeds `a`'s, with uniform Beta(1, 1) priors, so
 * the posteriors are Beta(1 + conversions, 1 + failures): P = ∫ pdf_b(x) · cdf_a(x) dx, integrated
 * with Simpson's rule over where b's posterior has its mass (mean ± 12 standard deviations), so
 * the same counts always give the same figure.
 */
export function probabilityToBeat(a: Counts, b: Counts): number {
  const [aAlpha, aBeta] = [1 + a.conversions, 1 + a.conversations - a.conversions];
  const [bAlpha, bBeta] = [1 + b.conversions, 1 + b.conversations - b.conversions];
  const total = bAlpha + bBeta;
  const mean = bAlpha / total;
  const sd = Math.sqrt((bAlpha * bBeta) / (total * total * (total + 1)));
  const from = Math.max(0, mean - 12 * sd);
  const to = Math.min(1, mean + 12 * sd);
  const integrand = (x: number) => {
    const density = jStat.beta.pdf(x, bAlpha, bBeta);
    return Number.isFinite(density) && density > 0 ? density * jStat.beta.cdf(x, aAlpha, aBeta) : 0;
  };
  const probability = simpson(integrand, from, to, 2000);
  return Math.min(1, Math.max(0, probability));
}

/**
 * Conversations per variant needed to detect a relative lift of `lift` over `baseline` with a
 * two-sided test at 5% and 80% power (the classic two-proportion formula).
 */
export function sampleSizePerVariant(baseline: number, lift = 0.2): number {
  const p1 = Math.min(Math.max(baseline, 0.001), 0.99);
  const p2 = Math.min(p1 * (1 + lift), 0.999);
  const mean = (p1 + p2) / 2;
  const numerator = Z_95 * Math.sqrt(2 * mean * (1 - mean)) + Z_80 * Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2));
  return Math.ceil((numerator * numerator) / ((p2 - p1) * (p2 - p1)));
}

/** The baseline when the control has no conversion yet: a typical 10% goal rate. */
const DEFAULT_BASELINE = 0.1;

/** Figures of one variant in {@link analyseExperiment}'s answer. */
export interface VariantFigures extends Counts {
  key: string;
  rate: number;
  ci95: [number, number];
}

/** What {@link analyseExperiment} concludes. */
export interface Analysis {
  variants: VariantFigures[];
  pValue: number | null;
  probabilityToBeatControl: number | null;
  winner: string | null;
  sampleSizeHint: number;
}

/**
 * Compares every challenger with the control (the first variant) and reports the best one's
 * test: p-value (two-proportion z-test), Bayesian probability to beat the control, and a winner
 * only when that difference is significant at 5% AND every variant reached the sample-size hint
 * (stopping at the first significant peek would inflate false positives).
 */
export function analyseExperiment(counts: readonly (Counts & { key: string })[]): Analysis {
  const variants = counts.map((variant) => ({
    key: variant.key,
    conversations: variant.conversations,
    conversions: variant.conversions,
    rate: variant.conversations === 0 ? 0 : variant.conversions / variant.conversations,
    ci95: wilsonInterval(variant.conversions, variant.conversations),
  }));
  const [control, ...challengers] = variants;
  if (!control)
    return { variants, pValue: null, probabilityToBeatControl: null, winner: null, sampleSizeHint: 0 };
  const baseline = control.conversions > 0 ? control.rate : DEFAULT_BASELINE;
  const sampleSizeHint = sampleSizePerVariant(baseline);
  const best = challengers.reduce<VariantFigures | undefined>(
    (top, variant) => (top === undefined || variant.rate > top.rate ? variant : top),
    undefined,
  );
  if (!best) return { variants, pValue: null, probabilityToBeatControl: null, winner: null, sampleSizeHint };
  const test = twoProportionZTest(control, best);
  const hasData = control.conversations > 0 && best.conversations > 0;
  const enough = variants.every((variant) => variant.conversations >= sampleSizeHint);
  const significant = test !== null && test.pValue < 0.05;
  const winner = significant && enough ? (best.rate > control.rate ? best.key : control.key) : null;
  return {
    variants,
    pValue: test?.pValue ?? null,
    probabilityToBeatControl: hasData ? probabilityToBeat(control, best) : null,
    winner,
    sampleSizeHint,
  };
}
