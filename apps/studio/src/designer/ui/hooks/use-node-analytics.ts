"use client";

import type { NodeAnalytics } from "@parley/contract";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "../../../client/trpc";
import { type RangePresetId, rangesOf } from "../../../components/analytics/range";

/** The state of the canvas's drop-off overlay: on/off, the version and range shown, and the figures. */
export interface NodeAnalyticsOverlayState {
  enabled: boolean;
  setEnabled(enabled: boolean): void;
  /** A published version number, or "" for the latest. */
  version: string;
  setVersion(version: string): void;
  preset: RangePresetId;
  setPreset(preset: RangePresetId): void;
  versions: number[];
  data: NodeAnalytics | undefined;
  error: unknown;
}

/**
 * Loads per-node drop-off figures of a flow (the `analytics.nodes` query) while the overlay is on,
 * refreshed every 10 s, and the published versions to choose from.
 */
export function useNodeAnalytics(flowId: string): NodeAnalyticsOverlayState {
  const trpc = useTRPC();
  const [enabled, setEnabled] = useState(false);
  const [version, setVersion] = useState("");
  const [preset, setPreset] = useState<RangePresetId>("30d");
  const range = rangesOf(preset).current;
  const versions = useQuery({ ...trpc.flows.versions.queryOptions({ flowId }), enabled });
  const nodes = useQuery({
    ...trpc.analytics.nodes.queryOptions({ flowId, ...range, ...(version ? { version } : {}) }),
    enabled,
    refetchInterval: 10_000,
    placeholderData: keepPreviousData,
  });
  return {
    enabled,
    setEnabled,
    version,
    setVersion,
    preset,
    setPreset,
    versions: (versions.data ?? []).filter((v) => v.status === "published").map((v) => v.version),
    data: enabled ? nodes.data : undefined,
    error: nodes.error,
  };
}
