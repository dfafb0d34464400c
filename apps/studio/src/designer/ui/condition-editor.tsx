"use client";

import type {
  ConditionGroup,
  ConditionLiteral,
  ConditionNodeData,
  ConditionOperator,
  ConditionRule,
} from "@parley/flow-schema";
import { useEffect, useState } from "react";
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
  readonly messages: ReadonlyMap<string, readonly string[]>;
  readonly idPrefix: string;
  readonly listId: string;
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
    <span className="condition-variable-field">
      <input
        className="condition-variable"
        aria-label={label}
        list={context.listId}
        placeholder="variable"
        value={value}
        onChange={(event) => onChange(event.target.value.trim())}
      />
      {offer && (
        <button
          type="button"
          className="small"
          data-testid="declare-variable"
          title={`“${root}” is not declared in this flow yet`}
          onClick={() => context.onDeclare?.(root)}
        >
          Declare “{root}”
        </button>
      )}
    </span>
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
    <input
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
      <select
        aria-label={`${label} type`}
        value={kind}
        onChange={(event) => onChange(convertOperand(value, event.target.value as OperandKind))}
      >
        {kinds.map((k) => (
          <option key={k} value={k}>
            {operandKindLabels[k]}
          </option>
        ))}
      </select>
      {kind === "text" && (
        <input
          aria-label={label}
          value={value as string}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
      {kind === "number" && <NumberInput label={label} value={value as number} onChange={onChange} />}
      {kind === "boolean" && (
        <select
          aria-label={label}
          value={String(value)}
          onChange={(event) => onChange(event.target.value === "true")}
        >
          <option value="true">yes (true)</option>
          <option value="false">no (false)</option>
        </select>
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
        <button type="button" className="small" onClick={() => onChange([])}>
          Type the values instead
        </button>
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
          <button
            type="button"
            className="small"
            aria-label={`Remove value ${index + 1}`}
            onClick={() => onChange(value.filter((_, i) => i !== index))}
          >
            ×
          </button>
        </div>
      ))}
      <div className="row">
        <button type="button" className="small" onClick={() => onChange([...value, ""])}>
          + Value
        </button>
        <button type="button" className="small" onClick={() => onChange({ variable: "" })}>
          Use a list variable
        </button>
      </div>
    </div>
  );
}

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
        <select
          aria-label="Operator"
          value={rule.operator}
          onChange={(event) => onChange(withOperator(rule, event.target.value as ConditionOperator))}
        >
          {operatorCatalogue.map((choice) => (
            <option key={choice.operator} value={choice.operator}>
              {choice.words}
            </option>
          ))}
        </select>
        {onRemove && (
          <button type="button" className="small" aria-label="Remove rule" onClick={onRemove}>
            ×
          </button>
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
        <select
          aria-label="Match"
          value={group.match}
          onChange={(event) => onChange({ ...group, match: event.target.value as "all" | "any" })}
        >
          <option value="all">all of these are true</option>
          <option value="any">any of these is true</option>
        </select>
        {onRemove && (
          <button type="button" className="small" onClick={onRemove}>
            Remove branch
          </button>
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
      <button
        type="button"
        className="small"
        onClick={() => setRules([...group.rules, newRule(group.rules.at(-1)?.variable)])}
      >
        + Rule
      </button>
      <label htmlFor={`${context.idPrefix}-group-${index}-label`}>Then go to the branch named</label>
      <input
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
  const listId = `${idPrefix}-variables`;
  const context: EditorContext = { suggestions, messages, idPrefix, listId, onDeclare };
  const groups = data.groups;
  const setGroups = (next: ConditionGroup[]) => onChange({ ...data, groups: next });
  return (
    <div className="condition-editor" data-testid="condition-editor">
      <datalist id={listId}>
        {suggestions.map((s) => (
          <option key={s.path} value={s.path}>
            {s.detail}
          </option>
        ))}
      </datalist>
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
      <button type="button" className="small" onClick={() => setGroups([...groups, newGroup(groups)])}>
        + Else if
      </button>
      <fieldset className="condition-group">
        <legend>Else</legend>
        <span className="muted">When no branch above matches, the flow goes on from the “else” output.</span>
      </fieldset>
      <FieldMessages path="groups" context={context} />
    </div>
  );
}
