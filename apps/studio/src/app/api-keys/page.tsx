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
  const [expiresOn, setExpiresOn] = useState("");
  const [ranges, setRanges] = useState("");
  const [shown, setShown] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.apiKeys.list.queryKey() });
  const create = useMutation(
    trpc.apiKeys.create.mutationOptions({
      onSuccess: (result) => {
        setShown(result.key);
        setName("");
        setExpiresOn("");
        setRanges("");
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
  const expiresError = serverErrors.expiresAt;
  const rangesError = Object.entries(serverErrors).find(([path]) => path.startsWith("allowedCidrs"))?.[1];
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
          if (scopes.length === 0) return;
          const allowedCidrs = ranges
            .split(/[\s,]+/)
            .map((range) => range.trim())
            .filter(Boolean);
          create.mutate({
            name,
            scopes,
            ...(expiresOn ? { expiresAt: new Date(`${expiresOn}T23:59:59`).toISOString() } : {}),
            ...(allowedCidrs.length > 0 ? { allowedCidrs } : {}),
          });
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
        <div className="row wrap" style={{ marginTop: 10, alignItems: "flex-start" }}>
          <div>
            <label htmlFor="key-expires">Expires on (optional)</label>
            <input
              id="key-expires"
              type="date"
              value={expiresOn}
              onChange={(e) => setExpiresOn(e.target.value)}
              {...invalidProps("key-expires", expiresError)}
            />
            <div className="muted">The key stops working at the end of that day.</div>
            {expiresError && (
              <div className="field-error" id="key-expires-error" role="alert">
                {expiresError}
              </div>
            )}
          </div>
          <div style={{ flex: 1, minWidth: 260 }}>
            <label htmlFor="key-ranges">Allowed IP ranges (optional)</label>
            <textarea
              id="key-ranges"
              rows={2}
              placeholder="203.0.113.0/24, 2001:db8::/32"
              value={ranges}
              onChange={(e) => setRanges(e.target.value)}
              {...invalidProps("key-ranges", rangesError)}
            />
            <div className="muted">
              Addresses or CIDR ranges, separated by commas or new lines. Empty: usable from anywhere.
            </div>
            {rangesError && (
              <div className="field-error" id="key-ranges-error" role="alert">
                {rangesError}
              </div>
            )}
          </div>
        </div>
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
            <th>Expires</th>
            <th>Allowed from</th>
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
              <td className="muted">
                {key.expiresAt ? new Date(key.expiresAt).toLocaleDateString() : "never"}
              </td>
              <td className="muted">
                {key.allowedCidrs.length > 0 ? key.allowedCidrs.join(", ") : "anywhere"}
              </td>
              <td>
                {key.revokedAt ? (
                  <span className="badge danger">revoked</span>
                ) : key.expiresAt && Date.parse(key.expiresAt) <= Date.now() ? (
                  <span className="badge">expired</span>
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
