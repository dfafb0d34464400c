"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { useCan } from "../../client/session";
import { useTRPC } from "../../client/trpc";
import { FormError } from "../../components/form-error";
import { Shell } from "../../components/shell";

function BotsList() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const bots = useQuery(trpc.bots.list.queryOptions());
  const canWrite = useCan("bots:write");
  const [name, setName] = useState("");
  const create = useMutation(
    trpc.bots.create.mutationOptions({
      onSuccess: () => {
        setName("");
        return queryClient.invalidateQueries({ queryKey: trpc.bots.list.queryKey() });
      },
    }),
  );
  return (
    <main className="shell-main">
      <h1>Bots</h1>
      {canWrite && (
        <form
          className="row"
          onSubmit={(event) => {
            event.preventDefault();
            if (name.trim()) create.mutate({ name: name.trim() });
          }}
        >
          <input
            aria-label="New bot name"
            placeholder="New bot name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            style={{ maxWidth: 300 }}
          />
          <button className="primary" type="submit" disabled={create.isPending}>
            Create bot
          </button>
        </form>
      )}
      <FormError error={create.error ?? bots.error} />
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
