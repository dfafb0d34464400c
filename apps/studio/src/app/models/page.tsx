"use client";

import { useCan } from "../../client/session";
import { BudgetsPanel } from "../../components/models/budgets-panel";
import { PricesPanel } from "../../components/models/prices-panel";
import { ProvidersPanel } from "../../components/models/providers-panel";
import { RoutesPanel } from "../../components/models/routes-panel";
import { RoutingPanel } from "../../components/models/routing-panel";
import { TryIt } from "../../components/models/try-it";
import { Shell } from "../../components/shell";
import "../../components/model-pages.css";

function Models() {
  const canManage = useCan("models:manage");
  const canTry = useCan("flows:write");
  return (
    <main className="shell-main">
      <h1>Models</h1>
      <p className="muted page-intro">
        Which language models this workspace's bots use: providers and their keys, routes that try models in
        order, which route each bot takes, monthly budgets and the price costs are computed from.
        {canManage ? "" : " Your role can look; owners and admins make changes."}
      </p>
      <nav className="section-nav" aria-label="Sections">
        <a href="#try">Try it</a>
        <a href="#providers">Providers and keys</a>
        <a href="#routes">Routes</a>
        <a href="#routing">Routing and bot overrides</a>
        <a href="#budgets">Budgets</a>
        <a href="#prices">Price table</a>
      </nav>
      <TryIt canTry={canTry} />
      <ProvidersPanel canManage={canManage} />
      <RoutesPanel canManage={canManage} />
      <RoutingPanel canManage={canManage} />
      <BudgetsPanel canManage={canManage} />
      <PricesPanel canManage={canManage} />
    </main>
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
