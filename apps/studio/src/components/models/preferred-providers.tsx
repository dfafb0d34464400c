"use client";
import { Button, Flex, Text } from "@radix-ui/themes";

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
  errorOf,
  disabled,
}: {
  /** Prefix of the element ids (two lists live on one page). */
  id: string;
  value: string[];
  onChange: (next: string[]) => void;
  /** Provider names that may be chosen. */
  providers: string[];
  /** The problem of the provider at `index`, if any. */
  errorOf: (index: number) => string | undefined;
  disabled: boolean;
}) {
  const [adding, setAdding] = useState("");
  const remaining = providers.filter((name) => !value.includes(name));
  const chosen = remaining.includes(adding) ? adding : (remaining[0] ?? "");
  return (
    <div>
      {value.length === 0 ? (
        <Text as="p" size="2" color="gray" data-testid={`${id}-none`}>
          No preference: every route tries its targets in its own order.
        </Text>
      ) : (
        <ol className="preferred-list" aria-label="Preferred providers, first tried first">
          {value.map((name, index) => {
            const error = errorOf(index);
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
                  <Text size="1" color="red" role="alert" data-testid={`error-${id}-${index}`}>
                    {error}
                  </Text>
                )}
              </li>
            );
          })}
        </ol>
      )}
      {!disabled && remaining.length > 0 && (
        <Flex mt="2" gap="2" align="center">
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
        </Flex>
      )}
    </div>
  );
}
