"use client";

import { useCan } from "../../client/session";
import { WorkspaceAnalytics } from "../../components/analytics/workspace-analytics";
import { Shell } from "../../components/shell";
import "../../components/model-pages.css";
import "../../components/analytics/analytics.css";

function Overview() {
  const canRead = useCan("analytics:read");
  return (
    <main className="shell-main">
      <h1>Analytics</h1>
      <p className="muted page-intro">
        Every bot of the workspace: conversations started in the range, how many completed, stayed with the
        bot or went to a human, CSAT, and what the models cost. Figures refresh every few seconds.
      </p>
      {canRead ? <WorkspaceAnalytics /> : <p className="muted">Your role cannot read analytics.</p>}
    </main>
  );
}

/** The workspace analytics overview. */
export default function AnalyticsPage() {
  return (
    <Shell>
      <Overview />
    </Shell>
  );
}
