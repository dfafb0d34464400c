"use client";

import type { ChannelType } from "@parley/contract";
import { Button, Flex } from "@radix-ui/themes";
import { useMutation } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTRPC } from "../../client/trpc";
import { Field, FormProblems, invalidProps, issuesOf } from "../field";
import { SimpleSelect } from "../ui/simple-select";
import { CopyButton } from "./copy-button";
import { channelPartsOf, initialValuesOf, platformGuides } from "./platform-fields";

const guideOf = (type: ChannelType) =>
  platformGuides.find((candidate) => candidate.type === type) ?? platformGuides[0]!;

/** The connect wizard: pick a platform, follow its steps, fill its fields (each with help), connect. */
export function ConnectChannel({
  botId,
  onConnected,
}: {
  botId: string;
  onConnected: (id: string) => Promise<unknown>;
}) {
  const trpc = useTRPC();
  const [type, setType] = useState<ChannelType>("slack");
  const [name, setName] = useState("");
  const [values, setValues] = useState<Record<string, string>>({});
  // Generated values (a verify token) are proposed after the first render, never during SSR.
  useEffect(() => {
    setValues((current) => ({ ...initialValuesOf(guideOf(type)), ...current }));
  }, [type]);
  const create = useMutation(trpc.channels.create.mutationOptions());
  const guide = guideOf(type);
  const errors = issuesOf(create.error);
  const shown = ["name", ...guide.fields.map((field) => field.path)];
  return (
    <form
      className="section"
      aria-label="Connect a channel"
      onSubmit={async (event) => {
        event.preventDefault();
        const created = await create
          .mutateAsync({
            botId,
            type,
            ...(name.trim() ? { name: name.trim() } : {}),
            ...channelPartsOf(values),
          })
          .catch(() => undefined);
        if (!created) return;
        setValues(initialValuesOf(guide));
        setName("");
        await onConnected(created.id);
      }}
    >
      <h2 className="form-title">Connect a channel</h2>
      <Field id="channel-type" label="Platform">
        <SimpleSelect
          id="channel-type"
          value={type}
          onValueChange={(value) => {
            setType(value as ChannelType);
            setValues({});
            create.reset();
          }}
          options={platformGuides.map((candidate) => ({ value: candidate.type, label: candidate.label }))}
        />
      </Field>
      <ol className="muted" data-testid="connect-steps">
        {guide.steps.map((step) => (
          <li key={step}>{step}</li>
        ))}
      </ol>
      <Field id="channel-name" label="Name (optional)" error={errors.name} hint="Shown in the studio only.">
        <input
          id="channel-name"
          value={name}
          onChange={(event) => setName(event.target.value)}
          {...invalidProps("channel-name", errors.name)}
        />
      </Field>
      {guide.fields.map((field) => {
        const id = `channel-${field.path.replace(".", "-")}`;
        const input = (
          <input
            id={id}
            type={field.secret ? "password" : "text"}
            autoComplete="off"
            placeholder={field.placeholder}
            value={values[field.path] ?? ""}
            onChange={(event) => setValues((current) => ({ ...current, [field.path]: event.target.value }))}
            {...invalidProps(id, errors[field.path])}
          />
        );
        return (
          <Field
            key={`${type}-${field.path}`}
            id={id}
            label={`${field.label}${field.optional ? " (optional)" : ""}`}
            error={errors[field.path]}
            hint={field.help}
          >
            {field.generated ? (
              <Flex gap="2" align="center">
                {input}
                <CopyButton text={values[field.path] ?? ""} label={`Copy ${field.label.toLowerCase()}`} />
              </Flex>
            ) : (
              input
            )}
          </Field>
        );
      })}
      <FormProblems error={create.error} shown={shown} />
      <Button variant="soft" color="gray" type="submit" disabled={create.isPending}>
        {create.isPending ? "Connecting…" : `Connect ${guide.label}`}
      </Button>
    </form>
  );
}
