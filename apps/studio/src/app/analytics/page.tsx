"use client";

import { Text } from "@radix-ui/themes";
import { useCan } from "../../client/session";
import { WorkspaceAnalytics } from "../../components/analytics/workspace-analytics";
import { Shell } from "../../components/shell";
import { Page } from "../../components/ui/page";
import "../../components/model-pages.css";

function Overview() {
  const canRead = useCan("analytics:read");
  return (
    <Page
      title="Analytics"
      description="Every bot of the workspace: conversations started in the range, how many completed, stayed with the bot or went to a human, CSAT, and what the models cost. Figures refresh every few seconds."
    >
      {canRead ? (
        <WorkspaceAnalytics />
      ) : (
        <Text as="p" size="2" color="gray">
          Your role cannot read analytics.
        </Text>
      )}
    </Page>
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
