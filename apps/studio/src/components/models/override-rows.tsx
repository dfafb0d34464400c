"use client";
import { Button } from "@radix-ui/themes";

import { Plus, Trash2 } from "lucide-react";
import { invalidProps } from "../field";
import { SimpleSelect } from "../ui/simple-select";

/** One row of a bot's route overrides, with a stable key for React. */
export interface OverrideDraft {
  key: string;
  /** The route name a node asks for. */
  requested: string;
  /** The route the bot uses instead. */
  route: string;
}

let keys = 0;
/** A new, empty override row. */
export function newOverride(requested = "", route = ""): OverrideDraft {
  keys += 1;
  return { key: `o${keys}`, requested, route };
}

/**
 * A bot's route overrides as editable rows: "a node asking for [name] uses [route]". The name is
 * free text (suggested: the names the bot's flows ask for, and the workspace's routes); the route
 * is one of the routes calls can reach.
 */
export function OverrideRows({
  rows,
  onChange,
  routes,
  suggestions,
  errors,
  disabled,
}: {
  rows: OverrideDraft[];
  onChange: (rows: OverrideDraft[]) => void;
  routes: string[];
  suggestions: string[];
  errors: Record<string, string>;
  disabled: boolean;
}) {
  const update = (index: number, patch: Partial<OverrideDraft>) =>
    onChange(rows.map((row, i) => (i === index ? { ...row, ...patch } : row)));
  return (
    <div>
      {rows.length === 0 ? (
        <div className="muted">No overrides: nodes get the route they name.</div>
      ) : (
        <ol className="override-list" aria-label="Route overrides">
          {rows.map((row, index) => {
            const requestedError = errors[`routeOverrides.${index}.requested`];
            const routeError = errors[`routeOverrides.${index}.route`];
            const ids = { requested: `override-${row.key}-requested`, route: `override-${row.key}-route` };
            return (
              <li key={row.key} className="override-row" data-testid={`override-${index}`}>
                <span className="muted">A node asking for</span>
                <div>
                  <input
                    id={ids.requested}
                    aria-label={`Route name asked for, override ${index + 1}`}
                    list="override-suggestions"
                    value={row.requested}
                    placeholder="e.g. fast"
                    disabled={disabled}
                    onChange={(e) => update(index, { requested: e.target.value })}
                    {...invalidProps(ids.requested, requestedError)}
                  />
                  {requestedError && (
                    <div
                      className="field-error"
                      id={`${ids.requested}-error`}
                      role="alert"
                      data-testid={`error-override-${index}-requested`}
                    >
                      {requestedError}
                    </div>
                  )}
                </div>
                <span className="muted">uses</span>
                <div>
                  <SimpleSelect
                    id={ids.route}
                    aria-label={`Route used instead, override ${index + 1}`}
                    value={row.route}
                    disabled={disabled}
                    onValueChange={(value) => update(index, { route: value })}
                    options={routes.includes(row.route) || !row.route ? routes : [row.route, ...routes]}
                    {...invalidProps(ids.route, routeError)}
                  />
                  {routeError && (
                    <div
                      className="field-error"
                      id={`${ids.route}-error`}
                      role="alert"
                      data-testid={`error-override-${index}-route`}
                    >
                      {routeError}
                    </div>
                  )}
                </div>
                {!disabled && (
                  <Button
                    size="1"
                    variant="soft"
                    color="red"
                    type="button"
                    aria-label={`Remove override ${index + 1}`}
                    onClick={() => onChange(rows.filter((_, i) => i !== index))}
                  >
                    <Trash2 size={13} aria-hidden />
                  </Button>
                )}
              </li>
            );
          })}
        </ol>
      )}
      <datalist id="override-suggestions">
        {suggestions.map((name) => (
          <option key={name} value={name} />
        ))}
      </datalist>
      {!disabled && (
        <Button
          size="1"
          variant="soft"
          color="gray"
          type="button"
          style={{ marginTop: 6 }}
          onClick={() => onChange([...rows, newOverride("", routes[0] ?? "")])}
        >
          <Plus size={13} aria-hidden /> Add override
        </Button>
      )}
    </div>
  );
}
