"use client";

import type {
  ConditionGroup,
  ConditionLiteral,
  ConditionNodeData,
  ConditionOperator,
  ConditionRule,
} from "@parley/flow-schema";
import { Button, Flex, IconButton, Text, TextField } from "@radix-ui/themes";
import { X } from "lucide-react";
import { useEffect, useState } from "react";
import type { ComboboxOption } from "../../components/ui/combobox";
import { ComboboxInput } from "../../components/ui/combobox-input";
import { SimpleSelect } from "../../components/ui/simple-select";
import type { VariableSuggestion } from "../core/autocomplete";
import {
  convertOperand,
  isVariableOperand,
  newGroup,
  newRule,
  type Operand,
  type OperandKind,
  operandKind,
  operandKindLabels,
  operatorCatalogue,
  operatorChoice,
  ruleSentence,
  withOperator,
} from "../core/condition-rules";

interface EditorContext {
  readonly suggestions: readonly VariableSuggestion[];
  /** The flow's variables as the variable fields' suggestions (a path, its description as a hint). */
  readonly options: readonly ComboboxOption[];
  readonly messages: ReadonlyMap<string, readonly string[]>;
  readonly idPrefix: string;
  /** Declares a typed-in variable the flow does not declare yet (absent: no "Declare it" offer). */
  readonly onDeclare?: ((name: string) => void) | undefined;
}

/** A name a variable may have (flow-schema's rule), so "Declare it" is only offered for one. */
const DECLARABLE = /^[A-Za-z_][A-Za-z0-9_]*$/;

function FieldMessages({ path, context }: { path: string; context: EditorContext }) {
  const list = context.messages.get(path);
  if (!list?.length) return null;
  return (
    <>
      {list.map((message) => (
        <div key={message} className="field-error" data-testid={`field-error-${path}`}>
          {message}
        </div>
      ))}
    </>
  );
}

/** A variable name with the flow's variables offered as suggestions (any path may be typed). */
function VariablePicker({
  value,
  onChange,
  label,
  context,
}: {
  value: string;
  onChange: (path: string) => void;
  label: string;
  context: EditorContext;
}) {
  // A typed name that is no known variable (nor a path into one) can be declared on the spot.
  const root = value.split(/[.[]/)[0] ?? "";
  const known = context.suggestions.some((s) => s.path === root || s.path.startsWith(`${root}.`));
  const offer = context.onDeclare && root !== "" && !known && DECLARABLE.test(root);
  return (
    <div className="condition-variable-field">
      <ComboboxInput
        size="1"
        aria-label={label}
        placeholder="variable"
        value={value}
        onChange={(text) => onChange(text.trim())}
        suggestions={context.options}
        listLabel="Variables"
      />
      {offer && (
        <Button
          type="button"
          size="1"
          variant="soft"
          data-testid="declare-variable"
          title={`“${root}” is not declared in this flow yet`}
          onClick={() => context.onDeclare?.(root)}
        >
          Declare “{root}”
        </Button>
      )}
    </div>
  );
}

/** A number typed as text, committed whenever it reads as a number (so "1." can be typed). */
function NumberInput({
  value,
  onChange,
  label,
}: {
  value: number;
  onChange: (n: number) => void;
  label: string;
}) {
  const [text, setText] = useState(String(value));
  useEffect(() => setText((t) => (Number(t) === value ? t : String(value))), [value]);
  return (
    <TextField.Root
      size="1"
      aria-label={label}
      inputMode="decimal"
      value={text}
      aria-invalid={text.trim() === "" || !Number.isFinite(Number(text))}
      onChange={(event) => {
        setText(event.target.value);
        const number = Number(event.target.value);
        if (event.target.value.trim() !== "" && Number.isFinite(number)) onChange(number);
      }}
    />
  );
}

/** One operand: its kind (text, number, yes/no, nothing, another variable) and a field for it. */
function OperandField({
  value,
  onChange,
  label,
  kinds,
  context,
}: {
  value: Operand;
  onChange: (value: Operand) => void;
  label: string;
  kinds: readonly OperandKind[];
  context: EditorContext;
}) {
  const kind = operandKind(value);
  return (
    <div className="condition-operand">
      <SimpleSelect
        size="1"
        aria-label={`${label} type`}
        value={kind}
        onValueChange={(next) => onChange(convertOperand(value, next as OperandKind))}
        options={kinds.map((k) => ({ value: k, label: operandKindLabels[k] }))}
      />
      {kind === "text" && (
        <TextField.Root
          size="1"
          aria-label={label}
          value={value as string}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
      {kind === "number" && <NumberInput label={label} value={value as number} onChange={onChange} />}
      {kind === "boolean" && (
        <SimpleSelect
          size="1"
          aria-label={label}
          value={String(value)}
          onValueChange={(next) => onChange(next === "true")}
          options={BOOLEAN_CHOICES}
        />
      )}
      {kind === "variable" && isVariableOperand(value) && (
        <VariablePicker
          label={label}
          value={value.variable}
          onChange={(variable) => onChange({ variable })}
          context={context}
        />
      )}
    </div>
  );
}

/** The words of a yes/no value. */
const BOOLEAN_CHOICES = [
  { value: "true", label: "yes (true)" },
  { value: "false", label: "no (false)" },
];

const SCALAR_KINDS: readonly OperandKind[] = ["text", "number", "boolean", "null", "variable"];
const LITERAL_KINDS: readonly OperandKind[] = ["text", "number", "boolean", "null"];

/** The values of `is one of`: a list of literals, or another variable holding the list. */
function ListField({
  value,
  onChange,
  label,
  context,
}: {
  value: ConditionLiteral[] | { variable: string };
  onChange: (value: ConditionLiteral[] | { variable: string }) => void;
  label: string;
  context: EditorContext;
}) {
  if (isVariableOperand(value)) {
    return (
      <div className="condition-operand">
        <VariablePicker
          label={label}
          value={value.variable}
          onChange={(variable) => onChange({ variable })}
          context={context}
        />
        <Button type="button" size="1" variant="soft" color="gray" onClick={() => onChange([])}>
          Type the values instead
        </Button>
      </div>
    );
  }
  return (
    <div className="condition-list">
      {value.map((item, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: list items have no identity but their position
        <div key={index} className="row">
          <OperandField
            label={`${label} ${index + 1}`}
            value={item}
            kinds={LITERAL_KINDS}
            context={context}
            onChange={(next) => onChange(value.map((v, i) => (i === index ? (next as ConditionLiteral) : v)))}
          />
          <IconButton
            type="button"
            size="1"
            variant="ghost"
            color="gray"
            aria-label={`Remove value ${index + 1}`}
            onClick={() => onChange(value.filter((_, i) => i !== index))}
          >
            <X size={14} aria-hidden />
          </IconButton>
        </div>
      ))}
      <Flex gap="2">
        <Button type="button" size="1" variant="soft" color="gray" onClick={() => onChange([...value, ""])}>
          + Value
        </Button>
        <Button type="button" size="1" variant="soft" color="gray" onClick={() => onChange({ variable: "" })}>
          Use a list variable
        </Button>
      </Flex>
    </div>
  );
}

/** The operators in words ("is", "is one of"), for the operator select. */
const OPERATOR_CHOICES = operatorCatalogue.map((choice) => ({ value: choice.operator, label: choice.words }));

function RuleEditor({
  rule,
  onChange,
  onRemove,
  path,
  context,
}: {
  rule: ConditionRule;
  onChange: (rule: ConditionRule) => void;
  onRemove: (() => void) | null;
  path: string;
  context: EditorContext;
}) {
  const arity = operatorChoice(rule.operator).arity;
  return (
    <div className="condition-rule" data-testid="condition-rule" title={ruleSentence(rule)}>
      <div className="row">
        <VariablePicker
          label="Variable"
          value={rule.variable}
          onChange={(variable) => onChange({ ...rule, variable })}
          context={context}
        />
        <SimpleSelect
          size="1"
          aria-label="Operator"
          value={rule.operator}
          onValueChange={(next) => onChange(withOperator(rule, next as ConditionOperator))}
          options={OPERATOR_CHOICES}
        />
        {onRemove && (
          <IconButton
            type="button"
            size="1"
            variant="ghost"
            color="gray"
            aria-label="Remove rule"
            onClick={onRemove}
          >
            <X size={14} aria-hidden />
          </IconButton>
        )}
      </div>
      {arity === "one" && "value" in rule && !Array.isArray(rule.value) && (
        <OperandField
          label="Value"
          value={rule.value}
          kinds={SCALAR_KINDS}
          context={context}
          onChange={(value) => onChange({ ...rule, value } as ConditionRule)}
        />
      )}
      {arity === "list" && "value" in rule && (
        <ListField
          label="Value"
          value={rule.value as ConditionLiteral[] | { variable: string }}
          context={context}
          onChange={(value) => onChange({ ...rule, value } as ConditionRule)}
        />
      )}
      <FieldMessages path={path} context={context} />
      <FieldMessages path={`${path}.variable`} context={context} />
      <FieldMessages path={`${path}.value`} context={context} />
    </div>
  );
}

/** How a branch's rules combine, in words. */
const MATCH_CHOICES = [
  { value: "all", label: "all of these are true" },
  { value: "any", label: "any of these is true" },
];

function GroupEditor({
  group,
  index,
  onChange,
  onRemove,
  context,
}: {
  group: ConditionGroup;
  index: number;
  onChange: (group: ConditionGroup) => void;
  onRemove: (() => void) | null;
  context: EditorContext;
}) {
  const path = `groups.${index}`;
  const setRules = (rules: ConditionRule[]) => onChange({ ...group, rules });
  return (
    <fieldset className="condition-group" data-testid={`condition-group-${group.id}`}>
      <legend>{index === 0 ? "If" : "Else if"}</legend>
      <div className="row">
        <SimpleSelect
          size="1"
          aria-label="Match"
          value={group.match}
          onValueChange={(next) => onChange({ ...group, match: next as "all" | "any" })}
          options={MATCH_CHOICES}
        />
        {onRemove && (
          <Button type="button" size="1" variant="soft" color="gray" onClick={onRemove}>
            Remove branch
          </Button>
        )}
      </div>
      {group.rules.map((rule, i) => (
        <RuleEditor
          // biome-ignore lint/suspicious/noArrayIndexKey: rules have no identity but their position
          key={i}
          rule={rule}
          path={`${path}.rules.${i}`}
          context={context}
          onChange={(next) => setRules(group.rules.map((r, j) => (j === i ? next : r)))}
          onRemove={group.rules.length > 1 ? () => setRules(group.rules.filter((_, j) => j !== i)) : null}
        />
      ))}
      <Flex>
        <Button
          type="button"
          size="1"
          variant="soft"
          color="gray"
          onClick={() => setRules([...group.rules, newRule(group.rules.at(-1)?.variable)])}
        >
          + Rule
        </Button>
      </Flex>
      <Text as="label" size="1" weight="medium" htmlFor={`${context.idPrefix}-group-${index}-label`}>
        Then go to the branch named
      </Text>
      <TextField.Root
        size="1"
        id={`${context.idPrefix}-group-${index}-label`}
        value={group.label ?? ""}
        placeholder={group.id}
        onChange={(event) => {
          const { label: _old, ...rest } = group;
          onChange(event.target.value ? { ...rest, label: event.target.value } : rest);
        }}
      />
      <FieldMessages path={path} context={context} />
    </fieldset>
  );
}

/**
 * The condition node's editor in plain words: branches ("If" / "Else if") of rules
 * (`variable` `operator` `value`) matched all or any, and the else branch taken when none matches.
 * The wording and conversions live in core/condition-rules.ts.
 */
export function ConditionEditor({
  data,
  onChange,
  suggestions,
  messages,
  idPrefix,
  onDeclare,
}: {
  data: ConditionNodeData;
  onChange: (data: ConditionNodeData) => void;
  suggestions: readonly VariableSuggestion[];
  messages: ReadonlyMap<string, readonly string[]>;
  idPrefix: string;
  /** Declares a variable typed in a rule that the flow does not declare yet (as text, per conversation). */
  onDeclare?: (name: string) => void;
}) {
  const options = suggestions.map((s) => ({ value: s.path, label: s.path, hint: s.detail }));
  const context: EditorContext = { suggestions, options, messages, idPrefix, onDeclare };
  const groups = data.groups;
  const setGroups = (next: ConditionGroup[]) => onChange({ ...data, groups: next });
  return (
    <div className="condition-editor" data-testid="condition-editor">
      {groups.map((group, index) => (
        <GroupEditor
          key={group.id}
          group={group}
          index={index}
          context={context}
          onChange={(next) => setGroups(groups.map((g, i) => (i === index ? next : g)))}
          onRemove={groups.length > 1 ? () => setGroups(groups.filter((_, i) => i !== index)) : null}
        />
      ))}
      <Flex>
        <Button
          type="button"
          size="1"
          variant="soft"
          color="gray"
          onClick={() => setGroups([...groups, newGroup(groups)])}
        >
          + Else if
        </Button>
      </Flex>
      <fieldset className="condition-group">
        <legend>Else</legend>
        <span className="muted">When no branch above matches, the flow goes on from the “else” output.</span>
      </fieldset>
      <FieldMessages path="groups" context={context} />
    </div>
  );
}
