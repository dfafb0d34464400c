"use client";

import type { VariantResult } from "@parley/contract";
import { Bar, BarChart, CartesianGrid, ErrorBar, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

const percent = (value: number) => `${(value * 100).toFixed(1)}%`;

/** Conversion rate per variant as bars, with the Wilson 95% interval drawn as error bars (recharts). */
export function ResultsChart({ variants }: { variants: readonly VariantResult[] }) {
  const data = variants.map((variant) => ({
    key: variant.key,
    rate: variant.rate * 100,
    // ErrorBar takes the distances below and above the value.
    interval: [(variant.rate - variant.ci95[0]) * 100, (variant.ci95[1] - variant.rate) * 100],
    label: `${percent(variant.rate)} (95% CI ${percent(variant.ci95[0])}–${percent(variant.ci95[1])})`,
  }));
  return (
    <figure
      className="experiment-chart"
      aria-label="Conversion rate per variant with 95% confidence intervals"
    >
      <ResponsiveContainer width="100%" height={220}>
        <BarChart data={data} margin={{ top: 12, right: 16, bottom: 4, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="key" />
          <YAxis unit="%" domain={[0, (max: number) => Math.min(100, Math.ceil(max * 1.2 + 1))]} />
          <Tooltip
            formatter={(_value, _name, item) => [(item.payload as { label: string }).label, "conversion"]}
          />
          <Bar dataKey="rate" fill="#4f46e5" isAnimationActive={false}>
            <ErrorBar dataKey="interval" width={10} strokeWidth={2} stroke="#111827" direction="y" />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
      <figcaption className="muted">
        Bars: conversion rate; whiskers: 95% confidence interval (Wilson).
      </figcaption>
    </figure>
  );
}
