"use client";

import {
  type FlowDocument,
  type VariableDeclaration,
  variableDeclarationSchema,
  variableTypes,
} from "@parley/flow-schema";
import { Button, Checkbox, Code, Flex, IconButton, Text, TextField } from "@radix-ui/themes";
import { X } from "lucide-react";
import { FieldError, useContractForm, useFieldError } from "../../components/ui/form-controls";
import { SimpleSelect } from "../../components/ui/simple-select";

/** The declare form: a name and type by the flow schema's own rules (the scope starts as conversation). */
const newVariableForm = variableDeclarationSchema.pick({ name: true, type: true });

/** Where a variable lives: this conversation only, or the contact (kept across conversations). */
const SCOPES = [
  { value: "conversation", label: "conversation" },
  { value: "contact", label: "contact" },
] as const;

/**
 * Declares the flow's variables: name, type, scope, default, and whether the widget may preset it
 * (`clientSettable`; visitors are untrusted, so it is off unless the author opens it).
 */
export function VariablesPanel({
  doc,
  readOnly,
  onUpsert,
  onRemove,
}: {
  doc: FlowDocument;
  readOnly: boolean;
  onUpsert: (variable: VariableDeclaration, previousName?: string) => void;
  onRemove: (name: string) => void;
}) {
  const form = useContractForm(newVariableForm, { defaultValues: { name: "", type: "string" } });
  const nameError = useFieldError(form, "name");
  const type = form.watch("type");
  return (
    <div className="side-section" data-testid="variables-panel">
      {doc.variables.length === 0 && <p className="muted">No variables yet.</p>}
      {doc.variables.length > 0 && (
        <p className="muted" id="client-settable-help">
          “Widget may preset”: the website's chat widget (anyone visiting it) may set this variable when a
          conversation starts; the value is checked against the type. Leave it off for anything the flow must
          be able to trust.
        </p>
      )}
      {doc.variables.map((variable) => (
        <div key={variable.name} className="variable-row">
          <Code size="2" truncate title={variable.name}>
            {variable.name}
          </Code>
          <SimpleSelect
            size="1"
            aria-label={`Type of ${variable.name}`}
            value={variable.type}
            disabled={readOnly}
            style={{ width: "100%" }}
            onValueChange={(next) => {
              const { default: _d, ...rest } = variable;
              onUpsert({ ...rest, type: next as VariableDeclaration["type"] });
            }}
            options={variableTypes}
          />
          <SimpleSelect
            size="1"
            aria-label={`Scope of ${variable.name}`}
            value={variable.scope}
            disabled={readOnly}
            style={{ width: "100%" }}
            onValueChange={(next) => onUpsert({ ...variable, scope: next as VariableDeclaration["scope"] })}
            options={SCOPES}
          />
          {!readOnly ? (
            <IconButton
              type="button"
              size="1"
              variant="ghost"
              color="red"
              onClick={() => onRemove(variable.name)}
              aria-label={`Remove ${variable.name}`}
            >
              <X size={14} aria-hidden />
            </IconButton>
          ) : (
            <span />
          )}
          <Text
            as="label"
            size="1"
            color="gray"
            className="inline-check"
            title="The website's widget (publishable key) may preset this variable when it starts a conversation. Leave off for anything the flow must be able to trust."
          >
            <Checkbox
              size="1"
              aria-label={`Widget may preset ${variable.name}`}
              aria-describedby="client-settable-help"
              checked={variable.clientSettable === true}
              disabled={readOnly}
              onCheckedChange={(checked) => {
                const { clientSettable: _c, ...rest } = variable;
                onUpsert(checked === true ? { ...rest, clientSettable: true } : rest);
              }}
            />
            widget may preset
          </Text>
        </div>
      ))}
      {!readOnly && (
        <Flex asChild gap="2" align="center" mt="3">
          <form
            aria-label="Declare a variable"
            noValidate
            onSubmit={form.handleSubmit(({ name, type }) => {
              if (doc.variables.some((v) => v.name === name))
                return form.setError("name", { message: `${name} is already declared` });
              onUpsert({ name, type, scope: "conversation" });
              form.reset({ name: "", type });
            })}
          >
            <TextField.Root
              size="1"
              aria-label="New variable name"
              aria-invalid={nameError ? true : undefined}
              aria-describedby={nameError ? "new-variable-error" : undefined}
              placeholder="name"
              style={{ flex: 1, minWidth: 0 }}
              {...form.register("name")}
            />
            <SimpleSelect
              size="1"
              aria-label="New variable type"
              value={type}
              onValueChange={(next) => form.setValue("type", next as VariableDeclaration["type"])}
              options={variableTypes}
            />
            <Button type="submit" size="1" variant="soft">
              Add
            </Button>
          </form>
        </Flex>
      )}
      <FieldError form={form} name="name" id="new-variable-error" />
    </div>
  );
}
