"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { useCan } from "../../client/session";
import { useTRPC } from "../../client/trpc";
import { FormProblems, invalidProps, issuesOf } from "../../components/field";
import { FormError } from "../../components/form-error";
import { Shell } from "../../components/shell";

function BotsList() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const bots = useQuery(trpc.bots.list.queryOptions());
  const canWrite = useCan("bots:write");
  const [name, setName] = useState("");
  const [missingName, setMissingName] = useState(false);
  const create = useMutation(
    trpc.bots.create.mutationOptions({
      onSuccess: () => {
        setName("");
        return queryClient.invalidateQueries({ queryKey: trpc.bots.list.queryKey() });
      },
    }),
  );
  const nameError = missingName ? "Give the bot a name." : issuesOf(create.error).name;
  return (
    <main className="shell-main">
      <h1>Bots</h1>
      {canWrite && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            setMissingName(!name.trim());
            if (name.trim()) create.mutate({ name: name.trim() });
          }}
        >
          <div className="row">
            <input
              id="new-bot-name"
              aria-label="New bot name"
              placeholder="New bot name"
              value={name}
              onChange={(e) => {
                setName(e.target.value);
                setMissingName(false);
              }}
              style={{ maxWidth: 300 }}
              {...invalidProps("new-bot-name", nameError)}
            />
            <button className="primary" type="submit" disabled={create.isPending}>
              Create bot
            </button>
          </div>
          {nameError && (
            <div className="field-error" id="new-bot-name-error" role="alert">
              {nameError}
            </div>
          )}
          <FormProblems error={create.error} shown={["name"]} />
        </form>
      )}
      <FormError error={bots.error} />
      <div className="grid" style={{ marginTop: 16 }}>
        {bots.data?.map((bot) => (
          <Link key={bot.id} href={`/bots/${bot.id}`} className="card">
            <b>{bot.name}</b>
            <div className="muted">{bot.description || "No description"}</div>
          </Link>
        ))}
        {bots.data?.length === 0 && <p className="muted">No bots yet.</p>}
      </div>
    </main>
  );
}

/** The workspace's bots. */
export default function BotsPage() {
  return (
    <Shell>
      <BotsList />
    </Shell>
  );
}
