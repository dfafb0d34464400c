"use client";
import { Button } from "@radix-ui/themes";

import { ArrowDown, ArrowUp, Plus, X } from "lucide-react";
import { useState } from "react";
import { SimpleSelect } from "../ui/simple-select";
import { moveItem } from "./target-list";

/**
 * An ordered list of provider names: the first one's targets are tried first in every route, then
 * the second's, then everything else in the route's own order. Up/down buttons reorder; the select
 * underneath adds one of the providers not in the list yet.
 */
export function PreferredProviders({
  id,
  value,
  onChange,
  providers,
  errors,
  disabled,
}: {
  /** Prefix of the element ids (two lists live on one page). */
  id: string;
  value: string[];
  onChange: (next: string[]) => void;
  /** Provider names that may be chosen. */
  providers: string[];
  /** Problems by path (`preferredProviders.1`). */
  errors: Record<string, string>;
  disabled: boolean;
}) {
  const [adding, setAdding] = useState("");
  const remaining = providers.filter((name) => !value.includes(name));
  const chosen = remaining.includes(adding) ? adding : (remaining[0] ?? "");
  return (
    <div>
      {value.length === 0 ? (
        <div className="muted" data-testid={`${id}-none`}>
          No preference: every route tries its targets in its own order.
        </div>
      ) : (
        <ol className="preferred-list" aria-label="Preferred providers, first tried first">
          {value.map((name, index) => {
            const error = errors[`preferredProviders.${index}`];
            return (
              <li key={name} data-testid={`${id}-${index}`}>
                <span className="position">{index + 1}</span>
                <span className="chip">{name}</span>
                {!disabled && (
                  <span className="moves">
                    <Button
                      size="1"
                      variant="soft"
                      color="gray"
                      type="button"
                      aria-label={`Move ${name} up`}
                      disabled={index === 0}
                      onClick={() => onChange(moveItem(value, index, index - 1))}
                    >
                      <ArrowUp size={13} aria-hidden />
                    </Button>
                    <Button
                      size="1"
                      variant="soft"
                      color="gray"
                      type="button"
                      aria-label={`Move ${name} down`}
                      disabled={index === value.length - 1}
                      onClick={() => onChange(moveItem(value, index, index + 1))}
                    >
                      <ArrowDown size={13} aria-hidden />
                    </Button>
                    <Button
                      size="1"
                      variant="soft"
                      color="red"
                      type="button"
                      aria-label={`Remove ${name}`}
                      onClick={() => onChange(value.filter((_, i) => i !== index))}
                    >
                      <X size={13} aria-hidden />
                    </Button>
                  </span>
                )}
                {error && (
                  <span className="field-error" role="alert" data-testid={`error-${id}-${index}`}>
                    {error}
                  </span>
                )}
              </li>
            );
          })}
        </ol>
      )}
      {!disabled && remaining.length > 0 && (
        <div className="row" style={{ marginTop: 6, gap: 6 }}>
          <SimpleSelect
            id={`${id}-add`}
            aria-label="Provider to prefer"
            value={chosen}
            onValueChange={setAdding}
            options={remaining}
          />
          <Button
            size="1"
            variant="soft"
            color="gray"
            type="button"
            onClick={() => chosen && onChange([...value, chosen])}
          >
            <Plus size={13} aria-hidden /> Prefer
          </Button>
        </div>
      )}
    </div>
  );
}
