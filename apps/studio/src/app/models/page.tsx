"use client";

import { Box, Button, Flex } from "@radix-ui/themes";
import { useCan } from "../../client/session";
import { BudgetsPanel } from "../../components/models/budgets-panel";
import { PricesPanel } from "../../components/models/prices-panel";
import { ProvidersPanel } from "../../components/models/providers-panel";
import { RoutesPanel } from "../../components/models/routes-panel";
import { RoutingPanel } from "../../components/models/routing-panel";
import { TryIt } from "../../components/models/try-it";
import { Shell } from "../../components/shell";
import { Page } from "../../components/ui/page";
import "../../components/model-pages.css";

const SECTIONS = [
  ["try", "Try it"],
  ["providers", "Providers and keys"],
  ["routes", "Routes"],
  ["routing", "Routing and bot overrides"],
  ["budgets", "Budgets"],
  ["prices", "Price table"],
] as const;

function Models() {
  const canManage = useCan("models:manage");
  const canTry = useCan("flows:write");
  return (
    <Page
      title="Models"
      description={`Which language models this workspace's bots use: providers and their keys, routes that try models in order, which route each bot takes, monthly budgets and the price costs are computed from.${canManage ? "" : " Your role can look; owners and admins make changes."}`}
    >
      <Box asChild py="2" style={{ position: "sticky", top: 0, zIndex: 5, background: "var(--gray-2)" }}>
        <nav aria-label="Sections">
          <Flex gap="2" wrap="wrap">
            {SECTIONS.map(([id, label]) => (
              <Button key={id} asChild size="1" variant="surface" color="gray" radius="full">
                <a href={`#${id}`}>{label}</a>
              </Button>
            ))}
          </Flex>
        </nav>
      </Box>
      <TryIt canTry={canTry} />
      <ProvidersPanel canManage={canManage} />
      <RoutesPanel canManage={canManage} />
      <RoutingPanel canManage={canManage} />
      <BudgetsPanel canManage={canManage} />
      <PricesPanel canManage={canManage} />
    </Page>
  );
}

/** The workspace's models: providers and keys, ordered routes, budgets, prices, and a "try it" box. */
export default function ModelsPage() {
  return (
    <Shell>
      <Models />
    </Shell>
  );
}
