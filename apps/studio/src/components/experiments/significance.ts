import type { ExperimentResults } from "@parley/contract";

const percent = (value: number, digits = 1) => `${(value * 100).toFixed(digits)}%`;

/** The results in words: the difference, its significance, the Bayesian view and the sample size. */
export function describeResults(results: ExperimentResults): {
  verdict: string;
  bayes: string | null;
  sample: string;
} {
  const [control, ...challengers] = results.variants;
  const best = challengers.reduce<(typeof challengers)[number] | undefined>(
    (top, variant) => (top === undefined || variant.rate > top.rate ? variant : top),
    undefined,
  );
  const smallest = Math.min(...results.variants.map((variant) => variant.conversations));
  const sample =
    `About ${results.sampleSizeHint.toLocaleString("en")} conversations per variant are needed to detect a 20% ` +
    `relative lift (5% significance, 80% power); the smallest variant has ${smallest.toLocaleString("en")}.`;
  if (!control || !best || results.pValue === null) {
    return { verdict: "Not enough data yet to compare the variants.", bayes: null, sample };
  }
  const lift = control.rate > 0 ? (best.rate - control.rate) / control.rate : null;
  const direction =
    lift === null
      ? `${best.key} converts at ${percent(best.rate)} against 0% for ${control.key}`
      : `${best.key} converts ${percent(Math.abs(lift), 0)} ${lift >= 0 ? "better" : "worse"} than ${control.key}`;
  const p = results.pValue < 0.001 ? "p < 0.001" : `p = ${results.pValue.toFixed(3)}`;
  let verdict: string;
  if (results.pValue < 0.05) {
    verdict = results.winner
      ? `${direction}: the difference is statistically significant (${p}) and the sample is large enough. Winner: ${results.winner}.`
      : `${direction}: significant so far (${p}), but keep it running until every variant reaches the sample size; early peeks overstate differences.`;
  } else {
    verdict = `${direction}, but the difference is not statistically significant (${p}): it may be chance.`;
  }
  const bayes =
    results.probabilityToBeatControl === null
      ? null
      : `Probability that ${best.key} beats ${control.key}: ${percent(results.probabilityToBeatControl)}.`;
  return { verdict, bayes, sample };
}
