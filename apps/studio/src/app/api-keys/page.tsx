"use client";

// The client-safe entry (permissions and zod only): the scopes core grants, so the list cannot drift.
import { API_KEY_SCOPES, type ApiKeyScope } from "@parley/core/scopes";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "../../client/trpc";
import { FormProblems, invalidProps, issuesOf } from "../../components/field";
import { FormError } from "../../components/form-error";
import { Shell } from "../../components/shell";

function ApiKeys() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const keys = useQuery(trpc.apiKeys.list.queryOptions());
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<ApiKeyScope[]>(["conversations:write"]);
  const [shown, setShown] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.apiKeys.list.queryKey() });
  const create = useMutation(
    trpc.apiKeys.create.mutationOptions({
      onSuccess: (result) => {
        setShown(result.key);
        setName("");
        return refresh();
      },
    }),
  );
  const revoke = useMutation(trpc.apiKeys.revoke.mutationOptions({ onSuccess: refresh }));
  const [submitted, setSubmitted] = useState(false);
  const serverErrors = issuesOf(create.error);
  const nameError = serverErrors.name;
  const scopesError =
    submitted && scopes.length === 0
      ? "Choose at least one scope."
      : Object.entries(serverErrors).find(([path]) => path.startsWith("scopes"))?.[1];
  return (
    <main className="shell-main">
      <h1>API keys</h1>
      {shown && (
        <div className="banner" role="status">
          <b>Copy this key now: it will not be shown again.</b>
          <pre data-testid="new-api-key">{shown}</pre>
          <p className="row">
            <button type="button" onClick={() => void navigator.clipboard?.writeText(shown)}>
              Copy key
            </button>
            <button type="button" onClick={() => setShown(null)}>
              I copied it
            </button>
          </p>
        </div>
      )}
      <form
        className="card"
        onSubmit={(event) => {
          event.preventDefault();
          setSubmitted(true);
          if (scopes.length > 0) create.mutate({ name, scopes });
        }}
      >
        <div className="row">
          <input
            id="key-name"
            aria-label="Key name"
            placeholder="Key name, e.g. CI"
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            style={{ maxWidth: 280 }}
            {...invalidProps("key-name", nameError)}
          />
          <button className="primary" type="submit" disabled={create.isPending}>
            Create key
          </button>
        </div>
        {nameError && (
          <div className="field-error" id="key-name-error" role="alert">
            {nameError}
          </div>
        )}
        <fieldset
          className="row wrap"
          style={{ marginTop: 10, border: 0, padding: 0 }}
          aria-describedby={scopesError ? "key-scopes-error" : undefined}
        >
          <legend className="muted" style={{ padding: 0, marginBottom: 4 }}>
            What the key may do
          </legend>
          {API_KEY_SCOPES.map((scope) => (
            <label key={scope} className="row" style={{ fontWeight: 400, margin: 0 }}>
              <input
                type="checkbox"
                checked={scopes.includes(scope)}
                onChange={(e) =>
                  setScopes(e.target.checked ? [...scopes, scope] : scopes.filter((s) => s !== scope))
                }
              />
              {scope === "*" ? "everything (*) but managing members and the workspace" : scope}
            </label>
          ))}
        </fieldset>
        {scopesError && (
          <div className="field-error" id="key-scopes-error" role="alert">
            {scopesError}
          </div>
        )}
        <FormProblems error={create.error} shown={Object.keys(serverErrors)} />
      </form>
      <FormError error={keys.error ?? revoke.error} />
      <table style={{ marginTop: 16 }}>
        <thead>
          <tr>
            <th>Name</th>
            <th>Prefix</th>
            <th>Scopes</th>
            <th>Created</th>
            <th>Last used</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {keys.data?.map((key) => (
            <tr key={key.id}>
              <td>{key.name}</td>
              <td>
                <code>{key.prefix}…</code>
              </td>
              <td>{key.scopes.join(", ")}</td>
              <td className="muted">{new Date(key.createdAt).toLocaleString()}</td>
              <td className="muted">
                {key.lastUsedAt ? new Date(key.lastUsedAt).toLocaleString() : "never"}
              </td>
              <td>
                {key.revokedAt ? (
                  <span className="badge danger">revoked</span>
                ) : (
                  <button
                    className="small danger"
                    type="button"
                    onClick={() => window.confirm(`Revoke ${key.name}?`) && revoke.mutate({ keyId: key.id })}
                  >
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {keys.data?.length === 0 && <p className="muted">No API keys yet.</p>}
    </main>
  );
}

/** Secret API keys: create with scopes (shown once), list by prefix and last use, revoke. */
export default function ApiKeysPage() {
  return (
    <Shell>
      <ApiKeys />
    </Shell>
  );
}
